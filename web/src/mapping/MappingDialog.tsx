import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { ApiError, messageOf } from "../api/error";
import type { MappingProgramResponse, MappingSuggestRequest, MappingSuggestResponse } from "../api/types";
import { useResource } from "../api/useResource";
import { useClient } from "../auth/session";
import type { StepEdge, StepNode } from "../canvas/step";
import { ExpressionPreview } from "../editor/ExpressionPreview";
import { previewData } from "../preview/sample";
import { JsonView } from "../run/JsonView";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { Select, Textarea } from "../ui/Input";
import { Loading } from "../ui/State";
import { useToast } from "../ui/Toast";
import {
  connectorTarget,
  downstreamConnectors,
  mappableOperations,
  mappingTarget,
  operationKey,
  parseOperationKey,
  parseSamples,
  pastedSourceId,
  sourceOptions,
  targetLabel,
  type SourceOption,
  type TargetChoice,
} from "./inputs";
import { MappingTable } from "./MappingTable";
import { acceptedPairs, initialSelection, isSuggestedProgram, setAll, type Selection } from "./selection";
import "./mapping.css";

/** Props of MappingDialog. */
export interface MappingDialogProps {
  /** node is the map node being edited; nodes and edges are the whole flow. */
  node: StepNode;
  nodes: StepNode[];
  edges: StepEdge[];
  onClose: () => void;
  /** onApply receives the jq program to write into the node's config. */
  onApply: (jq: string) => void;
}

/** Review is a suggestion answer with what it was asked for. */
interface Review {
  request: MappingSuggestRequest;
  response: MappingSuggestResponse;
  sourceLabel: string;
  origin: SourceOption["origin"];
  targetLabel: string;
}

/** ProgramState is the jq program of the current selection; while a new one is built, the last one stays in view. */
type ProgramState =
  | { kind: "ready"; program: MappingProgramResponse }
  | { kind: "loading"; last?: MappingProgramResponse }
  | { kind: "empty" }
  | { kind: "error"; message: string };

/** programDelay lets quick clicks on several checkboxes settle before the program is built again. */
const programDelay = 250;

/** targetModes are the target choices besides the downstream connectors. */
const targetModes = { operation: "A connector operation…", samples: "A pasted target sample (JSON)", schema: "A pasted JSON Schema" } as const;

/**
 * MappingDialog suggests a map node's jq program: the user picks sample data and a target, reviews the
 * suggested field correspondences (accept, reject, pick an alternative source), sees the generated
 * program run on the sample, and applies it. Applying records the accepted pairs so the tenant's
 * later suggestions learn from them; cancelling changes nothing. Mount it only while open.
 */
export function MappingDialog({ node, nodes, edges, onClose, onApply }: MappingDialogProps) {
  const client = useClient();
  const toast = useToast();
  const sources = useMemo(() => sourceOptions(nodes, edges, node.id), [nodes, edges, node.id]);
  const downstream = useMemo(() => downstreamConnectors(nodes, edges, node.id), [nodes, edges, node.id]);
  const lists = useResource(
    () => Promise.all([client.connectors(), downstream.length ? client.connections() : Promise.resolve({ connections: [] })]),
    `mapping-targets:${downstream.length > 0}`,
  );
  const operations = useMemo(() => mappableOperations(lists.data?.[0].connectors ?? []), [lists.data]);
  const connections = lists.data?.[1].connections ?? [];

  const [sourceId, setSourceId] = useState(sources[0]?.id ?? pastedSourceId);
  const [sourceText, setSourceText] = useState("");
  const [targetMode, setTargetMode] = useState<string>(downstream[0] ? `downstream:${downstream[0].nodeId}` : "operation");
  const [opKey, setOpKey] = useState("");
  const [targetSamples, setTargetSamples] = useState("");
  const [targetSchema, setTargetSchema] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [suggesting, setSuggesting] = useState(false);
  const [suggestError, setSuggestError] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [selection, setSelection] = useState<Selection>({});
  const [applying, setApplying] = useState(false);
  const reviewHeading = useRef<HTMLHeadingElement>(null);

  const source = sources.find((s) => s.id === sourceId);
  const pasted = parseSamples(sourceText, "source sample");
  const samples = source ? { ok: true as const, value: source.samples } : pasted;

  const downstreamChoice = targetMode.startsWith("downstream:") ? downstream.find((d) => `downstream:${d.nodeId}` === targetMode) : undefined;
  const targetChoice: TargetChoice = downstreamChoice
    ? { kind: "operation", ref: connectorTarget(downstreamChoice, connections) }
    : targetMode === "samples"
      ? { kind: "samples", text: targetSamples }
      : targetMode === "schema"
        ? { kind: "schema", text: targetSchema }
        : { kind: "operation", ref: parseOperationKey(opKey) };
  const target = mappingTarget(targetChoice);

  async function suggest() {
    setSubmitted(true);
    setSuggestError(null);
    if (!samples.ok || !target.ok) return;
    if (downstreamChoice && lists.loading) return;
    const request: MappingSuggestRequest = { source_samples: samples.value, target: target.value };
    setSuggesting(true);
    try {
      const response = await client.suggestMapping(request);
      setSelection(initialSelection(response.suggestions));
      setReview({
        request,
        response,
        sourceLabel: source?.label ?? "the pasted source sample",
        origin: source?.origin ?? "pasted",
        targetLabel: downstreamChoice ? `${targetLabel(targetChoice)} (node “${downstreamChoice.nodeName}”)` : targetLabel(targetChoice),
      });
    } catch (err) {
      setSuggestError(`No suggestions could be made. ${err instanceof ApiError ? err.sentences().join(" ") : messageOf(err)}`);
    } finally {
      setSuggesting(false);
    }
  }

  useEffect(() => {
    if (review) reviewHeading.current?.focus();
  }, [review]);

  const program = useProgram(review, selection);
  const pairs = review ? acceptedPairs(selection, review.response.suggestions) : [];

  async function apply() {
    if (!review || program.kind !== "ready" || pairs.length === 0) return;
    setApplying(true);
    let remembered = true;
    let why = "";
    try {
      await client.acceptMapping({ target_ref: program.program.target_ref || review.response.target_ref, pairs });
    } catch (err) {
      remembered = false;
      why = messageOf(err);
    }
    setApplying(false);
    onApply(program.program.jq);
    const fields = `${pairs.length} field${pairs.length === 1 ? "" : "s"}`;
    if (remembered) toast.show(`Mapping applied: ${fields}. Save the flow to keep it.`, "success");
    else toast.show(`Mapping applied: ${fields}, but it could not be remembered for future suggestions. ${why}`, "info");
  }

  const footer = review ? (
    <>
      <Button onClick={() => setReview(null)} disabled={applying}>
        Back
      </Button>
      <span className="spacer" />
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => void apply()} disabled={applying || program.kind !== "ready" || pairs.length === 0}>
        {applying ? "Applying…" : "Apply mapping"}
      </Button>
    </>
  ) : (
    <>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => void suggest()} disabled={suggesting}>
        {suggesting ? "Suggesting…" : "Suggest"}
      </Button>
    </>
  );

  return (
    <Dialog open title="Suggest mapping" onClose={onClose} footer={footer} className="dialog-mapping">
      {review ? (
        <ReviewStep
          review={review}
          selection={selection}
          onSelection={setSelection}
          program={program}
          pairs={pairs.length}
          replaces={typeof node.data.config.jq === "string" && node.data.config.jq.trim() !== ""}
          previewInput={review.request.source_samples[0]}
          previewBase={previewData(nodes, node.id, review.origin === "pasted" ? review.request.source_samples[0] : undefined)}
          headingRef={reviewHeading}
        />
      ) : (
        <form
          className="mapping-choose"
          aria-label="Source and target"
          onSubmit={(e) => {
            e.preventDefault();
            void suggest();
          }}
        >
          <p className="muted">
            Pick the data this node receives and what it should produce. Fields are matched by name, meaning, type, structure and the mappings
            accepted before; you review every match before anything changes.
          </p>
          <fieldset className="fieldset">
            <legend>Source: what the node receives</legend>
            <Field label="Source sample" hint={sources.length === 0 ? "No trigger sample or test run yet: paste a sample payload." : undefined}>
              {(p) => (
                // Focus lands here on opening and when coming back from the review.
                <Select autoFocus id={p.id} aria-describedby={p["aria-describedby"]} value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
                  {sources.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                  <option value={pastedSourceId}>Paste a sample (JSON)</option>
                </Select>
              )}
            </Field>
            {source ? (
              <details className="mapping-sample">
                <summary>Show the sample</summary>
                <JsonView value={source.samples[0]} openDepth={1} />
              </details>
            ) : (
              <Field
                label="Source sample JSON"
                hint="One JSON object, or an array of objects for several samples."
                error={submitted && !pasted.ok ? pasted.message : undefined}
              >
                {({ invalid, ...p }) => (
                  <Textarea {...p} invalid={invalid} rows={6} spellCheck={false} value={sourceText} onChange={(e) => setSourceText(e.target.value)} />
                )}
              </Field>
            )}
          </fieldset>
          <fieldset className="fieldset">
            <legend>Target: what the node should produce</legend>
            <Field label="Map to">
              {(p) => (
                <Select id={p.id} aria-describedby={p["aria-describedby"]} value={targetMode} onChange={(e) => setTargetMode(e.target.value)}>
                  {downstream.map((d) => (
                    <option key={d.nodeId} value={`downstream:${d.nodeId}`}>
                      {`Input of ${d.operation} in node “${d.nodeName}”`}
                    </option>
                  ))}
                  {Object.entries(targetModes).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <TargetDetail
              mode={targetMode}
              downstream={downstreamChoice}
              connectionFound={targetChoice.kind === "operation" && targetChoice.ref !== null}
              lists={lists}
              operations={operations}
              opKey={opKey}
              onOpKey={setOpKey}
              samples={targetSamples}
              onSamples={setTargetSamples}
              schema={targetSchema}
              onSchema={setTargetSchema}
              error={submitted && !target.ok ? target.message : undefined}
            />
          </fieldset>
          {suggesting && <Loading label="Matching fields…" />}
          {suggestError && (
            <div className="alert alert-error" role="alert">
              {suggestError}
            </div>
          )}
        </form>
      )}
    </Dialog>
  );
}

/** TargetDetail shows what the chosen target mode needs: an operation, a pasted sample or schema, or the downstream connector found. */
function TargetDetail(props: {
  mode: string;
  downstream: ReturnType<typeof downstreamConnectors>[number] | undefined;
  connectionFound: boolean;
  lists: { loading: boolean; error: string | undefined; reload: () => void };
  operations: ReturnType<typeof mappableOperations>;
  opKey: string;
  onOpKey: (v: string) => void;
  samples: string;
  onSamples: (v: string) => void;
  schema: string;
  onSchema: (v: string) => void;
  error: string | undefined;
}) {
  const { mode, downstream, lists, error } = props;
  const listProblem = lists.error && (
    <div className="alert alert-error" role="alert">
      The connector operations could not be loaded. {lists.error}{" "}
      <Button small onClick={lists.reload}>
        Try again
      </Button>
    </div>
  );
  if (downstream) {
    if (lists.loading) return <Loading label="Looking up the connection…" />;
    if (lists.error) return listProblem;
    if (!props.connectionFound) {
      return (
        <div className="alert alert-error" role="alert">
          The connection of node “{downstream.nodeName}” no longer exists. Choose the connector operation from the list instead.
        </div>
      );
    }
    return (
      <p className="muted">
        The output goes to “{downstream.nodeName}”, so it is mapped to the input of its operation <code>{downstream.operation}</code>.
        {downstream.inputProgram && " That node reshapes its input with its own jq first; choose another target if the fields differ."}
      </p>
    );
  }
  if (mode === "operation") {
    if (lists.loading && props.operations.length === 0) return <Loading label="Loading connector operations…" />;
    if (lists.error) return listProblem;
    return (
      <Field label="Connector operation" error={error}>
        {({ invalid, ...p }) => (
          <Select {...p} invalid={invalid} value={props.opKey} onChange={(e) => props.onOpKey(e.target.value)}>
            <option value="">— choose an operation —</option>
            {props.operations.map(({ connector, operations }) => (
              <optgroup key={connector.type} label={connector.title || connector.type}>
                {operations.map((op) => (
                  <option key={op.name} value={operationKey({ type: connector.type, operation: op.name })}>
                    {op.description ? `${op.name} — ${op.description}` : op.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        )}
      </Field>
    );
  }
  const isSchema = mode === "schema";
  return (
    <Field
      label={isSchema ? "Target JSON Schema" : "Target sample JSON"}
      hint={isSchema ? 'An object schema: {"type": "object", "properties": {…}, "required": […]}.' : "A document as the target expects it; one object, or an array of objects."}
      error={error}
    >
      {({ invalid, ...p }) => (
        <Textarea
          {...p}
          invalid={invalid}
          rows={8}
          spellCheck={false}
          value={isSchema ? props.schema : props.samples}
          onChange={(e) => (isSchema ? props.onSchema : props.onSamples)(e.target.value)}
        />
      )}
    </Field>
  );
}

/** ReviewStep shows the suggestions, the generated program and its preview. */
function ReviewStep({
  review,
  selection,
  onSelection,
  program,
  pairs,
  replaces,
  previewInput,
  previewBase,
  headingRef,
}: {
  review: Review;
  selection: Selection;
  onSelection: (s: Selection) => void;
  program: ProgramState;
  pairs: number;
  replaces: boolean;
  previewInput: unknown;
  previewBase: ReturnType<typeof previewData>;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { suggestions } = review.response;
  const ready = program.kind === "ready" ? program.program : program.kind === "loading" ? (program.last ?? null) : null;
  const unmapped = ready?.unmapped_required ?? (program.kind === "empty" ? [] : review.response.unmapped_required);
  const problems = (ready?.violations[0] ?? []).filter((v) => !(v.rule === "required" && unmapped.includes(v.field)));
  return (
    <div className="mapping-review">
      <div className="mapping-summary">
        <h3 ref={headingRef} tabIndex={-1}>
          {suggestions.length ? `${suggestions.length} target field${suggestions.length === 1 ? "" : "s"} matched` : "No matches"}
        </h3>
        <span className="muted">
          from {review.sourceLabel.charAt(0).toLowerCase() + review.sourceLabel.slice(1)} to {review.targetLabel}
        </span>
      </div>
      {suggestions.length === 0 ? (
        <div className="state">
          <p>No source field looks enough like a target field to suggest it.</p>
          <p className="muted">Go back and try a richer sample (a test run's data, or several samples), or another target.</p>
        </div>
      ) : (
        <div className="mapping-columns">
          <section className="mapping-fields" aria-label="Fields">
            <div className="row mapping-fields-head">
              <span role="status" aria-live="polite">
                {pairs} of {suggestions.length} fields used
              </span>
              <span className="spacer" />
              <Button small onClick={() => onSelection(setAll(selection, true))}>
                Use all
              </Button>
              <Button small onClick={() => onSelection(setAll(selection, false))}>
                Use none
              </Button>
            </div>
            <div className="mapping-table-wrap">
              <MappingTable suggestions={suggestions} selection={selection} onChange={onSelection} />
            </div>
          </section>
          <section className="mapping-result" aria-label="Generated program">
            {unmapped.length > 0 && (
              <div className="alert alert-warning" role="status" aria-label="Unmapped required fields">
                <strong>Required target fields nothing maps:</strong>{" "}
                {unmapped.map((f, i) => (
                  <span key={f}>
                    {i > 0 && ", "}
                    <code>{f}</code>
                  </span>
                ))}
                . The target may reject the output until they are mapped; add them to the jq after applying.
              </div>
            )}
            <div className="row">
              <h3>Generated jq</h3>
              {program.kind === "loading" && ready && (
                <span className="muted" role="status">
                  updating…
                </span>
              )}
            </div>
            {program.kind === "loading" && !ready && <Loading label="Building the program…" />}
            {program.kind === "empty" && <p className="muted">Use at least one field to build a program.</p>}
            {program.kind === "error" && (
              <div className="alert alert-error" role="alert">
                {program.message}
              </div>
            )}
            {ready && (
              <>
                <pre className="mapping-jq" aria-label="Generated jq program" aria-busy={program.kind === "loading"}>
                  {ready.jq}
                </pre>
                <ExpressionPreview
                  label="the generated program"
                  language="jq"
                  source={ready.jq}
                  data={{ ...previewBase, input: previewInput, source: review.origin }}
                />
                {problems.length > 0 && (
                  <div className="alert alert-warning" role="status">
                    <strong>The output does not fit the target yet:</strong>
                    <ul>
                      {problems.map((v, i) => (
                        <li key={i}>{v.field ? `${v.field}: ${v.message}` : v.message}</li>
                      ))}
                    </ul>
                  </div>
                )}
              </>
            )}
            {replaces && <p className="muted">Applying replaces the node's current jq program.</p>}
          </section>
        </div>
      )}
    </div>
  );
}

/**
 * useProgram keeps the jq program of the selection: the suggested program when every field is used
 * from its best source, else the server builds the program of the used pairs (after a short pause).
 */
function useProgram(review: Review | null, selection: Selection): ProgramState {
  const client = useClient();
  const [state, setState] = useState<ProgramState>({ kind: "loading" });
  const suggestions = review?.response.suggestions;
  const pairs = suggestions ? acceptedPairs(selection, suggestions) : [];
  const same = suggestions ? isSuggestedProgram(selection, suggestions) : false;
  const key = JSON.stringify(pairs);
  useEffect(() => {
    if (!review) return;
    if (same) {
      setState({ kind: "ready", program: review.response });
      return;
    }
    const chosen = JSON.parse(key) as ReturnType<typeof acceptedPairs>;
    if (chosen.length === 0) {
      setState({ kind: "empty" });
      return;
    }
    let current = true;
    setState((prev) => ({ kind: "loading", last: prev.kind === "ready" ? prev.program : prev.kind === "loading" ? prev.last : undefined }));
    const timer = window.setTimeout(() => {
      client
        .mappingProgram({ ...review.request, pairs: chosen })
        .then((program) => current && setState({ kind: "ready", program }))
        .catch(
          (err) =>
            current &&
            setState({ kind: "error", message: `The program could not be built. ${err instanceof ApiError ? err.sentences().join(" ") : messageOf(err)}` }),
        );
    }, programDelay);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, review, same, key]);
  return state;
}
