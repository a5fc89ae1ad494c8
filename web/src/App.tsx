import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { SessionProvider, useSession } from "./auth/session";
import { ComingSoonPage } from "./pages/ComingSoonPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { Shell } from "./pages/Shell";
import { ToastProvider } from "./ui/Toast";

/** App wires providers and routes. Signed-out visitors see the login page at any address. */
export function App() {
  return (
    <BrowserRouter>
      <ToastProvider>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </ToastProvider>
    </BrowserRouter>
  );
}

function Gate() {
  const { token } = useSession();
  if (!token) return <LoginPage />;
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to="/flows" replace />} />
        <Route path="flows" element={<ComingSoonPage title="Flows" />} />
        <Route path="templates" element={<ComingSoonPage title="Templates" />} />
        <Route path="connections" element={<ComingSoonPage title="Connections" />} />
        <Route path="runs" element={<ComingSoonPage title="Runs" />} />
        <Route path="dashboard" element={<ComingSoonPage title="Dashboard" />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
