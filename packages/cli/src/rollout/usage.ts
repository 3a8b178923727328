/** Flags (options without a value) of the rollout commands; main.ts adds them to its list. */
export const ROLLOUT_FLAGS = ['dry-run', 'resume'];

/** Lines of the rollout commands for the CLI usage text. */
export const ROLLOUT_USAGE = `  plan      Synthesize, then terraform init + plan -out of the selected stacks in apply order; saves the plans.
  apply     Apply the saved plans (only those, unchanged since planned) in apply order; stops at the first failure.
  drift     Plan every selected stack against its live state (4 at once); exit 2 when any has changes.
  rollout   Primary cluster layer by layer, then a canary secondary, then the other secondaries in waves.
            Re-plans each stack just before applying it; stops at the first failure and prints how to resume.
`;

/** Options of the rollout commands for the CLI usage text. */
export const ROLLOUT_OPTIONS = `
Options of plan, apply and rollout:
  --clusters <a,b>          Only these clusters.
  --layers <a,b>            Only these layers (network, secrets, data, compute, observability).
  --stacks <a,b>            Only these stacks (plan, apply).
  --plans <dir>             Saved plans, their manifest and the rollout state (default: .tts-ecs/rollout).
  --allow-destroy <a,b>     Allow destroying or replacing these stateful resources: <stack>:<address> or <address>.
  --concurrency <n>         plan, drift: stacks planned at once (plan: 1, drift: 4; plans only read state).
  --lock-timeout <seconds>  How long terraform waits for a held state lock, per attempt (default 120; one retry).
  --lock-retry-delay <s>    Seconds before that one retry of a stack whose state stayed locked (default 30).
  --wave-size <n>           rollout: secondary clusters per wave after the canary (default 1).
  --canary <cluster>        rollout: the secondary rolled out first, alone (default: the first secondary).
  --resume                  rollout: continue the stopped rollout at its failed stack (same scope).
  --dry-run                 rollout: print the waves and the commands; run nothing.
`;
