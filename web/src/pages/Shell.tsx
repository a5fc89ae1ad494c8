import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useSession } from "../auth/session";
import { Button } from "../ui/Button";

const sections = [
  { to: "/flows", label: "Flows" },
  { to: "/templates", label: "Templates" },
  { to: "/connections", label: "Connections" },
  { to: "/runs", label: "Runs" },
  { to: "/approvals", label: "Approvals" },
  { to: "/dashboard", label: "Dashboard" },
];

/** Shell is the signed-in frame: top navigation, user menu and the current page. */
export function Shell() {
  return (
    <div className="shell">
      <header className="topnav">
        <NavLink to="/flows" className="topnav-brand">
          Bridgework
        </NavLink>
        <nav className="topnav-links" aria-label="Main">
          {sections.map((s) => (
            <NavLink key={s.to} to={s.to} className={({ isActive }) => (isActive ? "topnav-link active" : "topnav-link")}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <UserMenu />
      </header>
      <div className="main">
        <Outlet />
      </div>
    </div>
  );
}

function UserMenu() {
  const { who, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  return (
    <div
      className="menu"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === "Escape") setOpen(false);
      }}
    >
      <Button variant="ghost" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {who || "Account"} ▾
      </Button>
      {open && (
        <div className="menu-list" role="menu">
          <div className="menu-caption">Signed in as {who}</div>
          <button type="button" role="menuitem" className="menu-item" autoFocus onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
