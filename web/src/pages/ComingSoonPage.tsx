import { Empty } from "../ui/State";

/** ComingSoonPage holds the place of a section that has no page yet. */
export function ComingSoonPage({ title }: { title: string }) {
  return (
    <div className="page">
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <div className="panel">
        <Empty title={`${title} are not available in the browser yet`}>
          <span>Use the REST API under /api/v1 in the meantime.</span>
        </Empty>
      </div>
    </div>
  );
}
