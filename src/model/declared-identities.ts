// IAM users a project file declares (config/project-identities.ts reads them; the engine's identity
// service makes them at start).

export interface DeclaredUser {
  readonly name: string;
  /** An access key of the project's choosing. */
  readonly accessKey?: { readonly id: string; readonly secret: string };
  /** Inline policies: name and document text. */
  readonly policies: readonly { readonly name: string; readonly document: string }[];
}

export interface DeclaredIdentities {
  readonly users: readonly DeclaredUser[];
}
