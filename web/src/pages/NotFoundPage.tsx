import { Link } from "react-router";
import { Empty } from "../ui/State";

/** NotFoundPage answers unknown addresses inside the app. */
export function NotFoundPage() {
  return (
    <div className="page">
      <Empty title="There is no page at this address">
        <Link to="/flows">Go to flows</Link>
      </Empty>
    </div>
  );
}
