/** Lines of `tts-ecs ci` for the CLI usage text. */
export const CI_USAGE = `  ci github Write a GitHub Actions workflow from the apply order: plan per stack on pull requests, apply on main
            in the order and waves of rollout, each cluster behind a GitHub environment, AWS through OIDC.
`;

/** Options of `tts-ecs ci github` for the CLI usage text. */
export const CI_OPTIONS = `
Options of ci github:
  --out <file>                     The workflow file (default: .github/workflows/tts-ecs.yml).
  --role-arn-template <arn>        Role assumed through OIDC; {account} is the cluster's account
                                   (default: arn:aws:iam::{account}:role/tts-ecs-deploy).
  --plan-role-arn-template <arn>   Role of the plan jobs on pull requests (default: --role-arn-template).
  --branch <name>                  The branch whose pushes apply (default: main).
  --wave-size <n>, --canary <c>    As for rollout.
`;
