import { ApiError, errorFromResponse, networkError } from "./error";
import type {
  Approval,
  ApprovalsResponse,
  CancelResponse,
  Connection,
  ConnectionRequest,
  ConnectionsResponse,
  ConnectionTest,
  ConnectorsResponse,
  CreateFlowRequest,
  Flow,
  FlowsResponse,
  FlowVersionDetail,
  FlowVersionsResponse,
  InstallRequest,
  InstallResponse,
  MappingAcceptRequest,
  MappingAcceptResponse,
  MappingProgramRequest,
  MappingProgramResponse,
  MappingSuggestRequest,
  MappingSuggestResponse,
  NodeTypesResponse,
  PreviewRequest,
  PreviewResponse,
  ReplayRequest,
  ReplayResponse,
  RunDetail,
  RunQuery,
  RunsResponse,
  SaveFlowRequest,
  StatsSummary,
  Template,
  TemplatesResponse,
  TestRunResponse,
  TokenRequest,
  TokenResponse,
} from "./types";

/** ClientOptions configure an API client. */
export interface ClientOptions {
  /** baseUrl is prepended to /api/v1 paths; empty for the same origin. */
  baseUrl?: string;
  token?: string | null;
  /** onUnauthorized is called when a signed-in request gets HTTP 401. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

/** Client is a typed wrapper over the Bridgework REST API. */
export type Client = ReturnType<typeof createClient>;

/** createClient returns the API methods bound to a token. Every failure is thrown as an ApiError. */
export function createClient(opts: ClientOptions = {}) {
  const base = (opts.baseUrl ?? "") + "/api/v1";
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw networkError();
    }
    const text = await res.text();
    if (!res.ok) {
      const err = errorFromResponse(res.status, text);
      if (res.status === 401 && opts.token) opts.onUnauthorized?.();
      throw err;
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, "bad_response", "The server sent an answer that is not JSON.");
    }
  }

  const flowPath = (id: string) => `/flows/${encodeURIComponent(id)}`;
  const runPath = (id: string) => `/runs/${encodeURIComponent(id)}`;
  const connectionPath = (id: string) => `/connections/${encodeURIComponent(id)}`;

  return {
    token: (req: TokenRequest) => request<TokenResponse>("POST", "/auth/token", req),
    nodeTypes: () => request<NodeTypesResponse>("GET", "/node-types"),
    flows: () => request<FlowsResponse>("GET", "/flows"),
    flow: (id: string) => request<Flow>("GET", flowPath(id)),
    createFlow: (req: CreateFlowRequest) => request<Flow>("POST", "/flows", req),
    deleteFlow: (id: string) => request<void>("DELETE", flowPath(id)),
    saveFlow: (id: string, req: SaveFlowRequest) => request<Flow>("PUT", flowPath(id), req),
    /** publishFlow makes a version live: the current draft, or an older one (a rollback). */
    publishFlow: (id: string, version?: number) => request<Flow>("POST", `${flowPath(id)}/publish`, version ? { version } : {}),
    testRun: (id: string, payload: unknown) => request<TestRunResponse>("POST", `${flowPath(id)}/test-run`, { payload }),
    flowVersions: (id: string) => request<FlowVersionsResponse>("GET", `${flowPath(id)}/versions`),
    flowVersion: (id: string, version: number) => request<FlowVersionDetail>("GET", `${flowPath(id)}/versions/${version}`),
    runs: (q: RunQuery) => request<RunsResponse>("GET", `/runs${queryString(q)}`),
    run: (id: string) => request<RunDetail>("GET", runPath(id)),
    /** replayRun runs a finished run again; with dry_run it only answers the plan. */
    replayRun: (id: string, req: ReplayRequest) => request<ReplayResponse>("POST", `${runPath(id)}/replay`, req),
    cancelRun: (id: string) => request<CancelResponse>("POST", `${runPath(id)}/cancel`),
    statsSummary: (window: string) => request<StatsSummary>("GET", `/stats/summary${queryString({ window })}`),
    connectors: () => request<ConnectorsResponse>("GET", "/connectors"),
    connections: () => request<ConnectionsResponse>("GET", "/connections"),
    createConnection: (req: ConnectionRequest) => request<Connection>("POST", "/connections", req),
    saveConnection: (id: string, req: ConnectionRequest) => request<Connection>("PUT", connectionPath(id), req),
    deleteConnection: (id: string) => request<void>("DELETE", connectionPath(id)),
    testConnection: (id: string) => request<ConnectionTest>("POST", `${connectionPath(id)}/test`),
    templates: () => request<TemplatesResponse>("GET", "/templates"),
    template: (slug: string) => request<Template>("GET", `/templates/${encodeURIComponent(slug)}`),
    installTemplate: (slug: string, req: InstallRequest) => request<InstallResponse>("POST", `/templates/${encodeURIComponent(slug)}/install`, req),
    previewExpression: (req: PreviewRequest) => request<PreviewResponse>("POST", "/expressions/preview", req),
    /** suggestMapping ranks source fields for every target field and answers the jq program of the best ones. */
    suggestMapping: (req: MappingSuggestRequest) => request<MappingSuggestResponse>("POST", "/mapping/suggest", req),
    /** mappingProgram answers the jq program of the chosen pairs only. */
    mappingProgram: (req: MappingProgramRequest) => request<MappingProgramResponse>("POST", "/mapping/program", req),
    /** acceptMapping records accepted pairs in the tenant's corpus, so later suggestions learn from them. */
    acceptMapping: (req: MappingAcceptRequest) => request<MappingAcceptResponse>("POST", "/mapping/accept", req),
    approvals: (q: { status?: string; flow_id?: string }) => request<ApprovalsResponse>("GET", `/approvals${queryString(q)}`),
    /** decideApproval approves or rejects a pending approval with an optional comment. */
    decideApproval: (id: string, decision: "approve" | "reject", comment: string) =>
      request<Approval>("POST", `/approvals/${encodeURIComponent(id)}/${decision}`, { comment }),
  };
}

/** queryString encodes the non-empty values of q as ?a=1&b=2 (or "" when none). */
export function queryString(q: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}
