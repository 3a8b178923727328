/** Usage lines of `tts-ecs diagram`; main.ts prints them (kept apart so the usage text loads nothing else). */
export const DIAGRAM_USAGE = `  diagram   Synthesize (like synth), then draw the deployment: regions, clusters, layer stacks, load balancers and
            public ports, data stores, primary->secondary links. Mermaid to stdout (or --output), DOT, or SVG.
`;

/** Options of `tts-ecs diagram` for the usage text. */
export const DIAGRAM_OPTIONS = `
Options of diagram:
  --format <f>              mermaid (default), dot, or svg (runs Graphviz's dot); default from --output's extension.
  --output <file[,file]>    Write there instead of stdout. A .md file gets a \`\`\`mermaid block between the lines
                            <!-- tts-ecs diagram: begin --> and <!-- tts-ecs diagram: end --> (the rest is kept).
  --from <dir>              Draw this existing synth output; do not synthesize (no --config / --out then).
  --resources               With --from: draw any cdktf app's architecture instead (one box per stack; load
                            balancers, CDN, APIs, ECS services and data stores; traffic edges from security group
                            rules and CloudFront origins), e.g. --from examples/camunda/cdktf.out.
`;

/** Flags (options without a value) of `tts-ecs diagram`. */
export const DIAGRAM_FLAGS = ['resources'];
