import { ApplyOrder, OrderedStack } from '../rollout/order-source';
import { planWaves, WaveOptions } from '../rollout/waves';
import { YamlValue, toYaml } from './yaml';

/** The role every job assumes through GitHub's OIDC provider; `{account}` is the cluster's AWS account id. */
export const DEFAULT_ROLE_ARN_TEMPLATE = 'arn:aws:iam::{account}:role/tts-ecs-deploy';

/** What the workflow is generated from. */
export interface GithubWorkflowOptions extends WaveOptions {
  /** From `deriveApplyOrder` (`<out>/apply-order.json`): the stacks, in apply order. */
  readonly order: ApplyOrder;
  /** Per cluster id: its AWS account and region (from the deployment config). */
  readonly clusters: Readonly<Record<string, { readonly accountId: string; readonly region: string }>>;
  /** `<prefix>-<environment>`: GitHub environments are `<prefix>-<environment>-<cluster>`. */
  readonly deployment: string;
  /** The config file, relative to the repository root (passed to every `tts-ecs` command). */
  readonly configPath: string;
  /** @default {@link DEFAULT_ROLE_ARN_TEMPLATE} */
  readonly roleArnTemplate?: string;
  /** Role of the plan jobs on pull requests. @default `roleArnTemplate` */
  readonly planRoleArnTemplate?: string;
  /** @default main */
  readonly branch?: string;
}

type Job = { [key: string]: YamlValue };

export const planJobId = (stack: string): string => `plan-${stack}`;
export const applyJobId = (stack: string): string => `apply-${stack}`;

/**
 * The apply jobs' `needs:`, following `tts-ecs rollout` ({@link planWaves}): in each cluster the stacks one after
 * the other in apply order; a wave's clusters side by side; the first stack of each cluster of a wave needs the
 * last stack of every cluster of the wave before (so a wave starts only when the previous one succeeded).
 */
export function applyNeeds(stacks: readonly OrderedStack[], options: WaveOptions = {}): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  let previousWave: string[] = [];
  for (const wave of planWaves(stacks, options)) {
    const ends: string[] = [];
    for (const { stacks: chain } of wave.clusters) {
      chain.forEach((stack, i) => needs.set(stack.name, i === 0 ? [...previousWave] : [chain[i - 1].name]));
      if (chain.length > 0) ends.push(chain[chain.length - 1].name);
    }
    previousWave = ends;
  }
  return needs;
}

const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The workflow as an object (what {@link renderGithubWorkflow} writes). */
export function githubWorkflow(options: GithubWorkflowOptions): { [key: string]: YamlValue } {
  const branch = options.branch ?? 'main';
  const applyTemplate = options.roleArnTemplate ?? DEFAULT_ROLE_ARN_TEMPLATE;
  const planTemplate = options.planRoleArnTemplate ?? applyTemplate;
  const stacks = options.order.stacks;
  const needs = applyNeeds(stacks, options);
  const cli = `node packages/cli/dist/main.js`;
  const config = `--config ${options.configPath}`;
  const roleOf = (template: string, stack: OrderedStack): string => {
    const cluster = options.clusters[stack.cluster];
    if (!cluster) throw new Error(`cluster "${stack.cluster}" of stack ${stack.name} is not in the config.`);
    return template.replace(/\{account\}/g, cluster.accountId);
  };
  const setup = (template: string, stack: OrderedStack): YamlValue[] => [
    { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
    { run: 'corepack enable' },
    { uses: 'hashicorp/setup-terraform@v3', with: { terraform_wrapper: false } },
    {
      name: 'Terraform plugin cache',
      uses: 'actions/cache@v4',
      with: {
        path: '.tts-ecs/plugin-cache',
        key: "tts-ecs-plugins-${{ runner.os }}-${{ hashFiles('pnpm-lock.yaml') }}",
        'restore-keys': 'tts-ecs-plugins-${{ runner.os }}-',
      },
    },
    { run: 'pnpm install --frozen-lockfile' },
    { run: 'pnpm build' },
    {
      name: `AWS credentials (OIDC, account ${options.clusters[stack.cluster]?.accountId ?? '?'})`,
      uses: 'aws-actions/configure-aws-credentials@v4',
      with: {
        'role-to-assume': roleOf(template, stack),
        'role-session-name': `tts-ecs-\${{ github.run_id }}`,
        'aws-region': options.clusters[stack.cluster]?.region ?? '',
      },
    },
  ];
  // `tts-ecs plan` synthesizes, runs terraform init + plan -out and prints the summary; the table goes to the
  // job summary whether the plan succeeded or not (a stateful removal is shown there).
  const plan = (stack: OrderedStack): YamlValue[] => [
    {
      name: `Plan ${stack.name}`,
      run: `${cli} plan ${config} --stacks ${stack.name} | tee plan.txt\n`,
    },
    {
      name: 'Plan summary',
      if: 'always()',
      run: `{ echo '### ${stack.name}'; echo '\`\`\`'; cat plan.txt; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"\n`,
    },
  ];
  const upload = (name: string): YamlValue => ({
    name: 'Upload the plan',
    if: 'always()',
    uses: 'actions/upload-artifact@v4',
    with: { name, path: '.tts-ecs/rollout', 'include-hidden-files': true, 'if-no-files-found': 'ignore' },
  });

  const jobs: Job = {};
  for (const stack of stacks) {
    if (!JOB_ID.test(planJobId(stack.name))) throw new Error(`stack name ${stack.name} cannot be a job id.`);
    jobs[planJobId(stack.name)] = {
      name: `plan ${stack.name}`,
      if: "github.event_name == 'pull_request'",
      'runs-on': 'ubuntu-latest',
      permissions: { 'id-token': 'write', contents: 'read' },
      concurrency: {
        group: `tts-ecs-plan-${stack.name}-\${{ github.event.pull_request.number }}`,
        'cancel-in-progress': true,
      },
      steps: [...setup(planTemplate, stack), ...plan(stack), upload(`plan-${stack.name}`)],
    };
  }
  for (const stack of stacks) {
    const needed = needs.get(stack.name) ?? [];
    jobs[applyJobId(stack.name)] = {
      name: `apply ${stack.name}`,
      ...(needed.length > 0 ? { needs: needed.map(applyJobId) } : {}),
      if: `github.event_name == 'push' && github.ref == 'refs/heads/${branch}'`,
      'runs-on': 'ubuntu-latest',
      environment: `${options.deployment}-${stack.cluster}`,
      permissions: { 'id-token': 'write', contents: 'read' },
      concurrency: { group: `tts-ecs-${stack.name}`, 'cancel-in-progress': false },
      steps: [
        ...setup(applyTemplate, stack),
        ...plan(stack),
        upload(`applied-plan-${stack.name}`),
        // The CLI refuses a plan that destroys or replaces a stateful resource (no --allow-destroy here).
        { name: `Apply ${stack.name}`, run: `${cli} apply --stacks ${stack.name}\n` },
      ],
    };
  }
  // Daily drift check per cluster (its account's plan role): `tts-ecs drift` exits 2 on drift, failing the job.
  const firstOfCluster = new Map<string, OrderedStack>();
  for (const stack of stacks) if (!firstOfCluster.has(stack.cluster)) firstOfCluster.set(stack.cluster, stack);
  for (const [cluster, stack] of firstOfCluster) {
    jobs[`drift-${cluster}`] = {
      name: `drift ${cluster}`,
      if: "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'",
      'runs-on': 'ubuntu-latest',
      permissions: { 'id-token': 'write', contents: 'read' },
      concurrency: { group: `tts-ecs-drift-${cluster}`, 'cancel-in-progress': true },
      steps: [
        ...setup(planTemplate, stack),
        {
          name: `Drift of ${cluster}`,
          run: `${cli} drift ${config} --clusters ${cluster} | tee drift.txt\n`,
        },
        {
          name: 'Drift summary',
          if: 'always()',
          run: `{ echo '### drift ${cluster}'; echo '\`\`\`'; cat drift.txt; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"\n`,
        },
      ],
    };
  }
  return {
    name: 'tts-ecs',
    on: {
      pull_request: { branches: [branch] },
      push: { branches: [branch] },
      schedule: [{ cron: '0 5 * * *' }],
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    defaults: { run: { shell: 'bash' } },
    jobs,
  };
}

/** The workflow file: a header saying how it was made, then the YAML. */
export function renderGithubWorkflow(options: GithubWorkflowOptions, command: string): string {
  return (
    `# Generated by \`${command}\` from the apply order: do not edit, regenerate.\n` +
    `# Plans every stack on pull requests; on ${options.branch ?? 'main'} applies them in the order and waves of \`tts-ecs rollout\`.\n` +
    '# Daily (and on demand) each cluster runs `tts-ecs drift`; a drifted cluster fails its job.\n' +
    toYaml(githubWorkflow(options))
  );
}
