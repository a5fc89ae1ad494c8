// Shapes of the Bridgework REST API (/api/v1). Every request and response type
// the app uses lives in this one file so contract changes are made in one place.

/** JSONSchema is the subset of JSON Schema that node specs use for config. */
export interface JSONSchema {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array";
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JSONSchema>;
  required?: string[];
  items?: JSONSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  /** "password" marks a secret; "jq", "expr", "json" and "template" ask for a code editor. */
  format?: string;
  /** writeOnly marks a secret: it is sent but never shown back. */
  writeOnly?: boolean;
  /** x-secret is an alternative secret marker. */
  "x-secret"?: boolean;
  /** x-language names the language of a code field: "jq", "expr" or "json". */
  "x-language"?: string;
  /** x-advanced fields are tucked away under "Advanced". */
  "x-advanced"?: boolean;
  additionalProperties?: boolean | JSONSchema;
  examples?: unknown[];
}

/** TokenRequest signs in with email, password and tenant slug, or with an API key. */
export type TokenRequest = { email: string; password: string; tenant: string } | { api_key: string };

/** TokenResponse is the answer of POST /auth/token. */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

/** NodeType describes one kind of flow node (GET /node-types). */
export interface NodeType {
  type: string;
  title: string;
  category: string;
  description: string;
  config_schema: JSONSchema;
  ports: string[];
  /** dynamic_ports: the config (switch cases) adds ports. */
  dynamic_ports?: boolean;
  trigger: boolean;
  side_effects?: boolean;
}

/** NodeTypesResponse is the answer of GET /node-types. */
export interface NodeTypesResponse {
  node_types: NodeType[];
}

/** Position is a node's place on the canvas. */
export interface Position {
  x: number;
  y: number;
}

/** FlowNode is one node of a flow definition. */
export interface FlowNode {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  position: Position;
}

/** FlowEdge connects an output port of one node to another node. */
export interface FlowEdge {
  from: string;
  to: string;
  port?: string;
}

/** FlowDefinition is the JSON document that a flow version stores. */
export interface FlowDefinition {
  nodes: FlowNode[];
  edges: FlowEdge[];
  settings?: Record<string, unknown>;
}

/** FlowStatus tells whether a flow has a published version. */
export type FlowStatus = "draft" | "published";

/** FlowSummary is what every answer about a flow holds. */
export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  status: FlowStatus;
  version: number;
  published_version: number | null;
  created_at: string;
  updated_at: string;
}

/** LastRun is a flow's newest run as GET /flows shows it; the times are null until reached. */
export interface LastRun {
  id: string;
  status: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/**
 * FlowListItem is one row of GET /flows: the flow, its newest run (null when it never ran) and,
 * of its runs that finished in the last 24 hours (succeeded or failed), how many and how many failed.
 */
export interface FlowListItem extends FlowSummary {
  last_run: LastRun | null;
  finished_24h: number;
  failed_24h: number;
}

/** FlowsResponse is the answer of GET /flows. */
export interface FlowsResponse {
  flows: FlowListItem[];
}

/** Hook is a published flow's webhook endpoint; secret is shown to admins and editors only. */
export interface Hook {
  id: string;
  node_id: string;
  url: string;
  auth_mode: "hmac" | "token" | "none" | string;
  header?: string;
  secret?: string;
}

/** Flow is the answer of GET /flows/{id}, PUT /flows/{id} and POST /flows/{id}/publish. */
export interface Flow extends FlowSummary {
  /** definition is the current draft; the publish answer leaves it out. */
  definition?: FlowDefinition;
  warnings?: ErrorDetail[];
  hooks?: Hook[];
}

/** SaveFlowRequest is the body of PUT /flows/{id}; version is the draft version the edit started from. */
export interface SaveFlowRequest {
  name: string;
  description: string;
  definition: FlowDefinition;
  version: number;
}

/** CreateFlowRequest is the body of POST /flows. */
export interface CreateFlowRequest {
  name: string;
  description: string;
  definition: FlowDefinition;
}

/** FlowVersion is one entry of GET /flows/{id}/versions. */
export interface FlowVersion {
  version: number;
  published: boolean;
  created_by: string;
  created_at: string;
}

/** FlowVersionsResponse is the answer of GET /flows/{id}/versions. */
export interface FlowVersionsResponse {
  versions: FlowVersion[];
}

/** FlowVersionDetail is the answer of GET /flows/{id}/versions/{n}. */
export interface FlowVersionDetail {
  version: number;
  created_by: string;
  created_at: string;
  definition: FlowDefinition;
}

/** Step is what one node did in a run or test run. */
export interface Step {
  step_key: string;
  node_id: string;
  node_type: string;
  status: string;
  input?: unknown;
  output?: unknown;
  error?: string;
  /** port is the output port taken ("error" when a failure was routed). */
  port?: string;
  attempt: number;
  started_at: string;
  finished_at: string;
  until?: string;
}

/** TestRunResponse is the answer of POST /flows/{id}/test-run. */
export interface TestRunResponse {
  status: string;
  error?: string;
  failed_node?: string;
  steps: Step[];
}

/** Run is one execution of a flow version. */
export interface Run {
  id: string;
  flow_id: string;
  flow_version_id: string;
  status: string;
  business_key: string;
  attempt: number;
  error?: string;
  failed_node?: string;
  payload?: unknown;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  updated_at: string;
  /** replay_of is the id of the run this one replays. */
  replay_of?: string;
  /** replay describes how the replay was asked for. */
  replay?: ReplaySpec;
  /** replayed_by is the id of the newest replay of this run. */
  replayed_by?: string;
}

/** ReplaySpec records who asked for a replay, when, and what they changed. */
export interface ReplaySpec {
  /** of is the replayed run's id. */
  of?: string;
  from?: ReplayFrom;
  step?: string;
  input?: unknown;
  version?: ReplayVersion;
  force_effects?: boolean;
  note?: string;
  by?: string;
  at?: string;
}

/** ReplayFrom is where a replay starts. */
export type ReplayFrom = "trigger" | "failed_step" | "step";

/** ReplayVersion picks the flow version a replay runs on. */
export type ReplayVersion = "original" | "published";

/** ReplayRequest is the body of POST /runs/{id}/replay. */
export interface ReplayRequest {
  from: ReplayFrom;
  step?: string;
  input?: unknown;
  version: ReplayVersion;
  force_effects: boolean;
  dry_run: boolean;
  note?: string;
}

/** LedgerEffect is an external effect a replay finds already recorded. */
export interface LedgerEffect {
  step_key: string;
  operation: string;
  idempotency_key: string;
  status: string;
  repeated: boolean;
}

/** ReplayResponse is the answer of POST /runs/{id}/replay (a plan when dry_run). */
export interface ReplayResponse {
  run_id?: string;
  replay_of: string;
  flow_version: number;
  will_execute: string[];
  reused_steps: string[];
  edited_step?: string;
  force_effects: boolean;
  effects_in_ledger: LedgerEffect[];
}

/** CancelResponse is the answer of POST /runs/{id}/cancel. */
export interface CancelResponse {
  id: string;
  status: string;
}

/** StatsPoint is one bucket of runs finished, by outcome. */
export interface StatsPoint {
  at: string;
  succeeded: number;
  failed: number;
}

/** FlowStats holds one flow's run counts and durations in a stats window. */
export interface FlowStats {
  flow_id: string;
  runs: number;
  failed: number;
  p50_seconds: number;
  p95_seconds: number;
}

/** NodeTypeStats holds the steps settled in a stats window for one node type. */
export interface NodeTypeStats {
  node_type: string;
  total: number;
  failed: number;
  error_rate: number;
}

/** StatsSummary is the answer of GET /stats/summary. */
export interface StatsSummary {
  from: string;
  to: string;
  window_seconds: number;
  bucket_seconds: number;
  series: StatsPoint[];
  totals: { runs: number; failed: number; failure_rate: number; dead_letters: number };
  flows: FlowStats[];
  queue: { depth: number; oldest_age_seconds: number };
  node_types: NodeTypeStats[];
  truncated: boolean;
}

/** RunsResponse is the answer of GET /runs. */
export interface RunsResponse {
  runs: Run[];
  total: number;
  page: number;
  per_page: number;
}

/** RunDetail is the answer of GET /runs/{id}. */
export interface RunDetail {
  run: Run;
  steps: Step[];
}

/** RunQuery holds the filters of GET /runs; empty values are left out. */
export interface RunQuery {
  flow_id?: string;
  status?: string;
  business_key?: string;
  from?: string;
  to?: string;
  page?: number;
  per_page?: number;
}

/** Connection is a saved set of settings and credentials for one system; secrets are named, never shown. */
export interface Connection {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  secret_fields: string[];
  created_at: string;
  updated_at: string;
}

/** ConnectionsResponse is the answer of GET /connections. */
export interface ConnectionsResponse {
  connections: Connection[];
}

/**
 * ConnectionRequest is the body of POST and PUT /connections. In secrets an absent name keeps
 * the stored value, null deletes it and a string replaces it.
 */
export interface ConnectionRequest {
  name: string;
  type?: string;
  config: Record<string, unknown>;
  secrets?: Record<string, string | null>;
}

/** ConnectionTest is the answer of POST /connections/{id}/test. */
export interface ConnectionTest {
  ok: boolean;
  message: string;
}

/** ConnectorOperation is one operation a connector offers. */
export interface ConnectorOperation {
  name: string;
  title?: string;
  description?: string;
  /** writes is true for operations that change the target system. */
  writes?: boolean;
  /** input_schema is the JSON Schema of the operation's input. */
  input_schema?: unknown;
}

/** Connector describes one connection type (GET /connectors). */
export interface Connector {
  type: string;
  title: string;
  config_schema: JSONSchema;
  secrets: string[];
  operations: ConnectorOperation[];
}

/** ConnectorsResponse is the answer of GET /connectors. */
export interface ConnectorsResponse {
  connectors: Connector[];
}

/** ErrorDetail points a problem at a node and field. */
export interface ErrorDetail {
  node_id?: string;
  field?: string;
  message: string;
  severity?: "error" | "warning";
}

/** ErrorBody is the JSON shape of every API error. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[];
  };
}

/** Approval is a decision a run waits for at an approval step. */
export interface Approval {
  id: string;
  flow_id: string;
  run_id: string;
  step_key: string;
  node_id: string;
  title: string;
  summary: string;
  approvers: { roles?: string[]; users?: string[] };
  status: "pending" | "approved" | "rejected" | "timed_out";
  on_timeout: string;
  expires_at: string;
  decided_by?: string;
  decided_at?: string;
  comment?: string;
  created_at: string;
}

/** ApprovalsResponse is the answer of GET /approvals. */
export interface ApprovalsResponse {
  approvals: Approval[];
  total: number;
  page: number;
  per_page: number;
}

/** TemplateConnection is a connection a template needs, by the name its flows use. */
export interface TemplateConnection {
  name: string;
  type: string;
  description: string;
}

/** TemplateFlow is one flow a template installs and how it is triggered. */
export interface TemplateFlow {
  file: string;
  name: string;
  description: string;
  wiring?: { heartland_events?: string[]; epicor_events?: string[]; schedule?: string };
}

/** Template is a gallery entry (GET /templates); params_schema comes with GET /templates/{slug}. */
export interface Template {
  slug: string;
  name: string;
  description: string;
  category: string;
  connections: TemplateConnection[];
  flows: TemplateFlow[];
  assumptions?: string[];
  params_schema?: JSONSchema;
}

/** TemplatesResponse is the answer of GET /templates. */
export interface TemplatesResponse {
  templates: Template[];
}

/** InstallRequest is the body of POST /templates/{slug}/install. */
export interface InstallRequest {
  connections: Record<string, string>;
  params: Record<string, unknown>;
  register_webhooks: boolean;
}

/** InstalledFlow is a flow an install created or upgraded, with its webhook URLs. */
export interface InstalledFlow {
  id: string;
  name: string;
  version: number;
  hooks: { id: string; url: string }[];
  wiring?: TemplateFlow["wiring"];
}

/** InstallResponse is the answer of POST /templates/{slug}/install. */
export interface InstallResponse {
  flows: InstalledFlow[];
}

/** PreviewRequest is the body of POST /expressions/preview. */
export interface PreviewRequest {
  language: "jq" | "expr";
  source: string;
  input?: unknown;
  trigger?: unknown;
  nodes?: Record<string, unknown>;
}

/** PreviewResponse holds either the result or why the expression failed. */
export type PreviewResponse = { result: unknown; error?: undefined } | { error: string; result?: undefined };

/** MappingTarget is what a mapping must produce: a connector operation's input, a JSON Schema, or sample documents. */
export type MappingTarget = { connector: { type: string; operation: string } } | { schema: unknown } | { samples: unknown[] };

/** MappingSuggestRequest is the body of POST /mapping/suggest. */
export interface MappingSuggestRequest {
  /** source_samples are one or more source documents (JSON objects). */
  source_samples: unknown[];
  target: MappingTarget;
}

/** MappingPair is one correspondence: the target field path and the source field path it is built from (e.g. "OrderDtls[].PartNum" ← "lines[].item_lookup"). */
export interface MappingPair {
  source: string;
  target: string;
}

/** MappingProgramRequest is the body of POST /mapping/program: the jq program of these pairs only. */
export interface MappingProgramRequest extends MappingSuggestRequest {
  pairs: MappingPair[];
}

/** MappingCandidate is one source field proposed for a target field. */
export interface MappingCandidate {
  source: string;
  /** confidence is between 0 and 1. */
  confidence: number;
  reason: string;
  scores: Record<string, number>;
}

/** MappingSuggestion is the best candidate for a target field, with up to two ranked alternatives. */
export interface MappingSuggestion extends MappingCandidate {
  target: string;
  alternatives: MappingCandidate[];
}

/** MappingViolation is one way a mapped document breaks the target's schema. */
export interface MappingViolation {
  field: string;
  rule: string;
  message: string;
}

/** MappingProgramResponse is the answer of POST /mapping/program: the program, its output per source sample and what the output breaks. */
export interface MappingProgramResponse {
  /** target_ref names the target in the tenant's corpus, e.g. "epicor/create_sales_order". */
  target_ref: string;
  jq: string;
  /** unmapped_required lists required target fields that nothing maps. */
  unmapped_required: string[];
  preview: unknown[];
  violations: MappingViolation[][];
}

/** MappingSuggestResponse is the answer of POST /mapping/suggest. */
export interface MappingSuggestResponse extends MappingProgramResponse {
  suggestions: MappingSuggestion[];
}

/** MappingAcceptRequest is the body of POST /mapping/accept: pairs to remember for the target. */
export interface MappingAcceptRequest {
  target_ref: string;
  pairs: MappingPair[];
}

/** MappingAcceptResponse is the answer of POST /mapping/accept. */
export interface MappingAcceptResponse {
  accepted: number;
}
