import { Link } from "react-router";
import type { Template } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import { Badge } from "../ui/Badge";
import { Empty, ErrorState, Loading } from "../ui/State";

/** TemplatesPage is the template gallery: what each template does and what it needs, with a way to install it. */
export function TemplatesPage() {
  const client = useClient();
  const list = useResource(() => Promise.all([client.templates(), client.connectors()]), "templates");
  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Loading templates…" />;
  const [{ templates }, { connectors }] = list.data;
  const titles = new Map(connectors.map((c) => [c.type, c.title]));
  return (
    <div className="page">
      <div className="page-header">
        <h1>Templates</h1>
      </div>
      <p className="muted">Ready-made flows between Heartland Retail and Epicor Kinetic. Installing one creates and publishes its flows with your connections and settings.</p>
      {templates.length === 0 ? (
        <div className="panel">
          <Empty title="No templates available" />
        </div>
      ) : (
        <div className="template-grid">
          {templates.map((t) => (
            <TemplateCard key={t.slug} template={t} titles={titles} />
          ))}
        </div>
      )}
    </div>
  );
}

function TemplateCard({ template: t, titles }: { template: Template; titles: Map<string, string> }) {
  return (
    <article className="template-card" aria-labelledby={`tpl-${t.slug}`}>
      <div>
        <Badge tone="info">{t.category}</Badge>
      </div>
      <h2 id={`tpl-${t.slug}`}>{t.name}</h2>
      <p>{t.description}</p>
      <div>
        <strong>Needs</strong>
        <ul>
          {t.connections.map((c) => (
            <li key={c.name}>
              {titles.get(c.type) ?? c.type} connection <span className="muted">— {c.description}</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="template-card-foot">
        <span className="muted">
          {t.flows.length} {t.flows.length === 1 ? "flow" : "flows"}
        </span>
        <Link className="btn btn-primary" to={`/templates/${encodeURIComponent(t.slug)}`} aria-label={`Install ${t.name}`}>
          Install
        </Link>
      </div>
    </article>
  );
}
