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
  /** "password" marks a secret; "jq", "expr" and "json" ask for a code editor. */
  format?: string;
  /** writeOnly marks a secret: it is sent but never shown back. */
  writeOnly?: boolean;
  /** x-secret is an alternative secret marker. */
  "x-secret"?: boolean;
  /** x-language names the language of a code field: "jq", "expr" or "json". */
  "x-language"?: string;
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
  trigger: boolean;
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

/** RunSummary is the short form of a run, embedded in lists. */
export interface RunSummary {
  id: string;
  status: string;
  started_at?: string;
  finished_at?: string | null;
}

/** FlowSummary is one row of GET /flows. */
export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  status: FlowStatus;
  version: number;
  published_version: number | null;
  updated_at: string;
  last_run: RunSummary | null;
}

/** FlowsResponse is the answer of GET /flows. */
export interface FlowsResponse {
  flows: FlowSummary[];
}

/** Flow is the answer of GET /flows/{id}. */
export interface Flow {
  id: string;
  name: string;
  description: string;
  version: number;
  published_version: number | null;
  definition: FlowDefinition;
}

/** SaveFlowRequest is the body of PUT /flows/{id}; version is the one being replaced. */
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
  definition?: FlowDefinition;
}

/** FlowVersion is one entry of GET /flows/{id}/versions. */
export interface FlowVersion {
  version: number;
  created_at: string;
  published?: boolean;
  definition?: FlowDefinition;
}

/** FlowVersionsResponse is the answer of GET /flows/{id}/versions. */
export interface FlowVersionsResponse {
  versions: FlowVersion[];
}

/** Step is what one node did in a run or test run. */
export interface Step {
  step_key: string;
  node_id: string;
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  attempt?: number;
}

/** TestRunResponse is the answer of POST /flows/{id}/test-run. */
export interface TestRunResponse {
  status: string;
  steps: Step[];
}

/** Run is one execution of a flow version. */
export interface Run {
  id: string;
  flow_id: string;
  flow_name?: string;
  flow_version?: number;
  status: string;
  business_key?: string | null;
  trigger?: string;
  error?: string | null;
  started_at: string;
  finished_at: string | null;
  steps?: Step[];
}

/** RunsResponse is the answer of GET /runs. */
export interface RunsResponse {
  runs: Run[];
  total: number;
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
