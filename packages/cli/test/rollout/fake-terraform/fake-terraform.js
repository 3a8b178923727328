#!/usr/bin/env node
/* eslint-disable */
// A stand-in for the terraform binary in rollout tests. It records every call and does what the control says.
//
// Environment:
//   FAKE_TF_LOG      file to append one JSON line per call to: { stack, command, args, cwd } (stack = cwd's folder name)
//   FAKE_TF_CONTROL  a JSON control file, or the JSON itself:
//     { "fail":       [{ "stack": "acme-prod-us1-compute", "command": "apply", "message": "boom", "times": 1 }],
//       "lock":       [{ "stack": "...", "command": "plan", "times": 1, "who": "alice@laptop" }],
//       "replace":    [{ "stack": "...", "type": "aws_rds_cluster", "address": "aws_rds_cluster.main" }],
//       "extra":      [{ "stack": "...", "address": "aws_iam_role.new", "actions": ["create"] }],
//       "noChanges":  ["acme-prod-eu1-network"],
//       "values":     [{ "stack": "...", "address": "aws_ecs_service.tts", "after": { "desired_count": 3 },
//                        "after_unknown": {}, "after_sensitive": {}, "before": {...}, "before_sensitive": {} }] }
//   "stack": "*" matches every stack; "times" limits a rule to the first n matching calls (default: every call).
//   "values" replaces those fields of the change of "address" (default aws_ecs_service.tts) in `show -json`.
// Every stack's plan otherwise updates one resource in place (aws_ecs_service.tts: a new task definition, so its
// task_definition is known after apply).
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const cwd = process.cwd();
const stack = path.basename(cwd);
const command = args.find((a) => !a.startsWith('-')) || '';
const logFile = process.env.FAKE_TF_LOG;
const raw = process.env.FAKE_TF_CONTROL || '{}';
const control = JSON.parse(raw.trim().startsWith('{') ? raw : fs.readFileSync(raw, 'utf8'));

if (logFile) fs.appendFileSync(logFile, JSON.stringify({ stack, command, args, cwd }) + '\n');

const matches = (rule) => (rule.stack === '*' || rule.stack === stack) && (!rule.command || rule.command === command);
/** Whether `rule` still applies: counts its uses in a file per rule next to the log. */
function active(kind, rule, index) {
  if (rule.times === undefined) return true;
  const counter = `${logFile || path.join(require('os').tmpdir(), 'fake-tf')}.${kind}${index}.${stack}.${command}`;
  const used = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0;
  if (used >= rule.times) return false;
  fs.writeFileSync(counter, String(used + 1));
  return true;
}
const rule = (kind) => (control[kind] || []).find((r, i) => matches(r) && active(kind, r, i));

const lock = command === 'plan' || command === 'apply' ? rule('lock') : undefined;
if (lock) {
  process.stderr.write(
    [
      '╷',
      '│ Error: Error acquiring the state lock',
      '│ ',
      '│ Error message: operation error S3: PutObject, https response error StatusCode: 412, PreconditionFailed',
      '│ Lock Info:',
      `│   ID:        ${lock.id || '9db590f1-b6fe-c5f2-2678-8804f089deba'}`,
      `│   Path:      acme-tts-ecs-state/${stack}.tfstate`,
      '│   Operation: OperationTypeApply',
      `│   Who:       ${lock.who || 'alice@laptop'}`,
      '│   Version:   1.11.4',
      '│   Created:   2025-05-01 09:30:00.000000000 +0000 UTC',
      '│   Info:      ',
      '│ ',
      '│ Terraform acquires a state lock to protect the state from being written',
      '│ by multiple users at the same time.',
      '╵',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
const fail = rule('fail');
if (fail) {
  process.stderr.write(`╷\n│ Error: ${fail.message || `fake ${command} failure`}\n╵\n`);
  process.exit(1);
}

const out = (text) => process.stdout.write(text + '\n');
switch (command) {
  case 'version':
    out(JSON.stringify({ terraform_version: '1.11.4', platform: 'linux_amd64', provider_selections: {} }));
    break;
  case 'init':
    fs.mkdirSync(path.join(cwd, '.terraform'), { recursive: true });
    if (!fs.existsSync(path.join(cwd, '.terraform.lock.hcl')))
      fs.writeFileSync(path.join(cwd, '.terraform.lock.hcl'), '# fake\n');
    out('Terraform has been successfully initialized!');
    break;
  case 'plan': {
    const planFile = (args.find((a) => a.startsWith('-out=')) || '').slice(5);
    const noChanges = (control.noChanges || []).includes(stack);
    const taskDefinition = `arn:aws:ecs:eu-west-1:111111111111:task-definition/${stack}:1`;
    const service = {
      address: 'aws_ecs_service.tts',
      type: 'aws_ecs_service',
      actions: ['update'],
      values: {
        before: { name: stack, desired_count: 2, task_definition: taskDefinition },
        after: { name: stack, desired_count: 2 },
        after_unknown: { task_definition: true },
        before_sensitive: {},
        after_sensitive: {},
      },
    };
    const changes = noChanges ? [] : [service];
    for (const r of control.replace || [])
      if (matches(r)) changes.push({ address: r.address, type: r.type, actions: ['delete', 'create'] });
    for (const r of control.extra || [])
      if (matches(r)) changes.push({ address: r.address, type: r.address.split('.')[0], actions: r.actions });
    const plan = {
      format_version: '1.2',
      fake: { stack },
      resource_changes: changes.map((c) => ({
        address: c.address,
        mode: 'managed',
        type: c.type,
        name: c.address.split('.')[1],
        change: {
          actions: c.actions,
          ...c.values,
          ...Object.assign(
            {},
            ...(control.values || [])
              .filter((v) => matches(v) && (v.address || 'aws_ecs_service.tts') === c.address)
              .map(({ stack: _s, address: _a, ...v }) => v),
          ),
        },
      })),
    };
    if (planFile) fs.writeFileSync(path.resolve(cwd, planFile), JSON.stringify(plan));
    out(`Plan: ${changes.length} to change.`);
    process.exit(changes.length > 0 && args.includes('-detailed-exitcode') ? 2 : 0);
  }
  case 'show': {
    const planFile = args.filter((a) => !a.startsWith('-'))[1];
    out(fs.readFileSync(path.resolve(cwd, planFile), 'utf8'));
    break;
  }
  case 'apply': {
    const planFile = args.filter((a) => !a.startsWith('-'))[1];
    if (!planFile || !fs.existsSync(path.resolve(cwd, planFile))) {
      process.stderr.write('fake terraform: apply without an existing saved plan file\n');
      process.exit(1);
    }
    out('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    break;
  }
  default:
    out(`fake terraform: ${command}`);
}
