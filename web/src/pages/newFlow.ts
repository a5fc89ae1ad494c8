// Kept apart from FlowEditorPage so the flows list can link here without loading the editor.

import type { CreateFlowRequest, Flow } from "../api/types";

/** newFlowPath opens the editor on a flow that is created on its first save. */
export const newFlowPath = "/flows/new";

/** NewFlowState is what the "New flow" dialog hands the editor through the location. */
export interface NewFlowState {
  name: string;
  description: string;
}

/** duplicateFlowRequest is the body of POST /flows that copies a flow's current draft under a new name. */
export function duplicateFlowRequest(flow: Flow): CreateFlowRequest {
  if (!flow.definition) throw new Error(`flow “${flow.name}” came without its definition`);
  return { name: `Copy of ${flow.name}`, description: flow.description, definition: flow.definition };
}
