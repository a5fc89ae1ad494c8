// Kept apart from FlowEditorPage so the flows list can link here without loading the editor.

/** newFlowPath opens the editor on a flow that is created on its first save. */
export const newFlowPath = "/flows/new";

/** NewFlowState is what the "New flow" dialog hands the editor through the location. */
export interface NewFlowState {
  name: string;
  description: string;
}
