import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { SessionProvider, useSession } from "./auth/session";
import { ApprovalsPage } from "./pages/ApprovalsPage";
import { ConnectionsPage } from "./pages/ConnectionsPage";
import { DashboardPage } from "./pages/DashboardPage";
import { FlowsPage } from "./pages/FlowsPage";
import { RunPage } from "./pages/RunPage";
import { RunsPage } from "./pages/RunsPage";
import { TemplateInstallPage } from "./pages/TemplateInstallPage";
import { TemplatesPage } from "./pages/TemplatesPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { Shell } from "./pages/Shell";
import { Loading } from "./ui/State";
import { ToastProvider } from "./ui/Toast";

// The editor brings the canvas and CodeMirror; load it only when a flow is opened.
const FlowEditorPage = lazy(() => import("./pages/FlowEditorPage"));

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
        <Route path="flows" element={<FlowsPage />} />
        <Route
          path="flows/:id"
          element={
            <Suspense fallback={<Loading label="Loading editor…" />}>
              <FlowEditorPage />
            </Suspense>
          }
        />
        <Route path="templates" element={<TemplatesPage />} />
        <Route path="templates/:slug" element={<TemplateInstallPage />} />
        <Route path="connections" element={<ConnectionsPage />} />
        <Route path="runs" element={<RunsPage />} />
        <Route path="runs/:id" element={<RunPage />} />
        <Route path="approvals" element={<ApprovalsPage />} />
        <Route path="dashboard" element={<DashboardPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
