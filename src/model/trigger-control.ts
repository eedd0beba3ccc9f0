// What the deployment operations ask of the server's triggers: check a trigger's definition and run
// it, stop one, say how they are. The triggers layer implements it (triggers/trigger-service.ts); the
// API layer's operations are handed it (main.ts), so neither reaches the other.

/** A deployed trigger as the operations report it. */
export interface DeployedTriggerStatus {
  readonly name: string;
  /** The definition as it was deployed (JSON text). */
  readonly definition: string;
  readonly stack?: string;
  readonly state: string;
  readonly lastProcessingResult: string;
}

export type PutTriggerOutcome = { readonly outcome: 'created' | 'updated' | 'unchanged' } | { readonly refused: string };

export interface TriggerControl {
  /** Checks the definition (a project file's trigger, handler paths absolute) and deploys it. */
  put(definition: Readonly<Record<string, unknown>>, stack: string | undefined): Promise<PutTriggerOutcome>;
  /** Stops and forgets a deployed trigger; false when there was none of that name. */
  delete(name: string): Promise<boolean>;
  list(): readonly DeployedTriggerStatus[];
}
