import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import { Registry } from '../registry/index.js';
import { flowContentHash } from './canonical-json.js';
import { registryModelNames } from './flow-models.js';
import { formatFlowProblem } from './flow-problem.js';
import { validateFlowDocument } from './validate-flow-document.js';

const models = registryModelNames(
  new Registry({ config: defaultConfig, clock: new ManualClock(Date.UTC(2026, 7, 1)) }),
);

const example = (name: string) =>
  readFileSync(new URL(`../../docs/examples/flows/${name}`, import.meta.url), 'utf8');

function problemsOf(text: string) {
  const result = validateFlowDocument(text, { file: 'flow.yaml', models });
  if (result.ok) throw new Error('expected the document to be invalid');
  return result.problems.map(formatFlowProblem);
}

const base = `name: demo
inputs:
  brief: { type: string }
  logo: { type: image, optional: true }
nodes:
  direction:
    type: text
    model: text_fast
    prompt: 'Direction for {{inputs.brief}}'
  hero:
    type: image
    model: image_fast
    prompt: '{{nodes.direction.text}}'
    variants: 2
  out:
    type: output
    results:
      images: '{{nodes.hero.images}}'
`;

describe('validateFlowDocument', () => {
  it('accepts both examples and the base document', () => {
    for (const text of [example('brand-assets.yaml'), example('ab-image-models.yaml'), base]) {
      const result = validateFlowDocument(text, { file: 'flow.yaml', models });
      expect(result.ok, JSON.stringify(!result.ok && result.problems)).toBe(true);
    }
  });

  it('names file, line, node and field of a variant count out of range', () => {
    expect(problemsOf(base.replace('variants: 2', 'variants: 12'))).toEqual([
      'flow.yaml:14: node "hero", nodes.hero.variants: 12 is out of range; allowed 1–8',
    ]);
  });

  it('refuses lane "batch" on a JPEG image node, naming the lane', () => {
    expect(problemsOf(base.replace('variants: 2', 'variants: 2\n    lane: batch\n    format: jpeg'))).toEqual(
      [
        'flow.yaml:15: node "hero", nodes.hero.lane: "batch" needs format png (the Batch API lane sends PNG requests only); got format "jpeg"',
      ],
    );
  });

  it('fills in no lane, so documents written before the field keep their content hash', () => {
    const withoutLane = validateFlowDocument(base, { file: 'flow.yaml', models });
    if (!withoutLane.ok) throw new Error('expected a valid document');
    expect(withoutLane.document.nodes.hero).not.toHaveProperty('lane');
  });

  it('reports a cycle with its path', () => {
    const cyclic = base.replace(
      "prompt: 'Direction for {{inputs.brief}}'",
      "prompt: '{{nodes.hero.images}}'",
    );
    const problems = problemsOf(cyclic);
    expect(
      problems.some((problem) =>
        /cycle: .*direction → hero → direction|hero → direction → hero/.test(problem),
      ),
    ).toBe(true);
  });

  it('reports an image reference in a text prompt as mistyped', () => {
    const problems = problemsOf(
      base.replace("prompt: 'Direction for {{inputs.brief}}'", "prompt: 'Describe {{inputs.logo}}'"),
    );
    expect(problems).toEqual([
      'flow.yaml:9: node "direction", nodes.direction.prompt: {{inputs.logo}} is images, but a text field takes text, numbers or booleans',
    ]);
  });

  it('reports dangling references with did-you-mean', () => {
    const problems = problemsOf(base.replace('{{nodes.direction.text}}', '{{nodes.directon.text}}'));
    expect(problems[0]).toMatch(
      /^flow\.yaml:13: node "hero", nodes\.hero\.prompt: \{\{nodes\.directon\.text\}\} refers to the unknown node "directon"; known nodes: direction, hero, out\. Did you mean "direction"\?$/,
    );
    expect(problemsOf(base.replace('{{inputs.brief}}', '{{inputs.brif}}'))[0]).toMatch(
      /unknown input "brif".*Did you mean "brief"/,
    );
    expect(problemsOf(base.replace('{{nodes.hero.images}}', '{{nodes.hero.text}}'))[0]).toMatch(
      /node "hero" \(image\) has no output "text"; it offers images/,
    );
  });

  it('reports an unknown node type with did-you-mean', () => {
    expect(problemsOf(base.replace('type: output', 'type: outptu'))).toEqual([
      'flow.yaml:16: node "out", nodes.out.type: unknown node type "outptu"; allowed: text, template, image, output. Did you mean "output"?',
    ]);
  });

  it('reports unknown models with did-you-mean, and a model of the wrong kind', () => {
    expect(problemsOf(base.replace('model: image_fast', 'model: image_fsat'))).toEqual([
      'flow.yaml:12: node "hero", nodes.hero.model: unknown model or logical name "image_fsat". Did you mean "image_fast"?',
    ]);
    expect(problemsOf(base.replace('model: text_fast', 'model: image_quality'))[0]).toMatch(
      /nodes\.direction\.model: "image_quality" is an image model, but a text node needs a text model/,
    );
  });

  it('reports schema problems with the field and a prefix of the value', () => {
    expect(problemsOf(base.replace('variants: 2', "variants: 2\n    aspectRatio: '7:3'"))[0]).toMatch(
      /^flow\.yaml:15: node "hero", nodes\.hero\.aspectRatio: .*\(got "7:3"\)$/,
    );
    expect(problemsOf('name: demo\nnodes: [\n')[0]).toMatch(
      /^flow\.yaml:\d+: \(document\): not valid YAML or JSON/,
    );
  });

  it('leaves layout out of the content hash', () => {
    const parse = (text: string) => {
      const result = validateFlowDocument(text, { file: 'flow.yaml', models });
      if (!result.ok) throw new Error('invalid');
      return result.document;
    };
    const plain = parse(base);
    const moved = parse(`${base}layout:\n  hero: { x: 10, y: 20 }\n`);
    const edited = parse(base.replace('variants: 2', 'variants: 3'));
    expect(flowContentHash(moved)).toBe(flowContentHash(plain));
    expect(flowContentHash(edited)).not.toBe(flowContentHash(plain));
  });
});
