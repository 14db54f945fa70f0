// Link-state routing for gloeth's layer-2 mesh: signed adjacency announcements, the database that keeps
// everyone's newest, shortest paths and broadcast trees over the links both ends confirm; MAC learning is in the frame path (wasm/).

export * from "./node_id.ts";
export * from "./link_cost.ts";
export * from "./announcement.ts";
export * from "./signed_announcement.ts";
export * from "./graph.ts";
export * from "./link_state_db.ts";
export * from "./shortest_paths.ts";
