import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import type { Task } from '../api/types.js';
import { modelChoices, useModels } from '../api/use-models.js';
import { isFinal, useTask } from '../api/use-task.js';
import { formatDays, formatUsd } from '../components/format.js';
import { LifecycleBadge } from '../components/lifecycle-badge.js';
import { ReferenceDrop, type UploadedFile } from '../components/reference-drop.js';
import { StatusBadge } from '../components/status-badge.js';
import { TaskImages } from '../components/task-images.js';

const fallbackAspectRatios = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const fallbackSizes = ['1K', '2K', '4K'];

interface Turn {
  taskId: string;
  prompt: string;
}

export default function PlaygroundPage() {
  const models = useModels();
  const choices = modelChoices(models.data);
  const [model, setModel] = useState('image_fast');
  const [prompt, setPrompt] = useState('');
  const [aspectRatio, setAspectRatio] = useState('');
  const [imageSize, setImageSize] = useState('');
  const [format, setFormat] = useState<'png' | 'jpeg'>('png');
  const [variants, setVariants] = useState(1);
  const [references, setReferences] = useState<UploadedFile[]>([]);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [followUp, setFollowUp] = useState('');
  const current = turns.at(-1);
  const task = useTask(current?.taskId);

  const choice = choices.find((entry) => entry.id === model);
  const aspectRatios = choice?.model?.capabilities.aspect_ratios ?? fallbackAspectRatios;
  const sizes = choice?.model?.capabilities.image_sizes ?? fallbackSizes;

  const submit = useMutation({
    mutationFn: (input: { prompt: string; contents?: unknown[] }) =>
      api<Task>('/v1/images/generations', {
        body: {
          model,
          prompt: input.prompt,
          output_format: format,
          n: variants,
          ...(aspectRatio ? { aspect_ratio: aspectRatio } : {}),
          ...(imageSize ? { image_size: imageSize } : {}),
          ...(references.length && !input.contents ? { images: references.map((file) => file.id) } : {}),
          ...(input.contents ? { contents: input.contents } : {}),
        },
      }),
    onSuccess: (created, input) =>
      setTurns((previous) => [
        ...(input.contents ? previous : []),
        { taskId: created.id, prompt: input.prompt },
      ]),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (prompt.trim()) submit.mutate({ prompt: prompt.trim() });
  };
  const onFollowUp = (event: FormEvent) => {
    event.preventDefault();
    const contents = task.data?.result?.next_turn_contents;
    if (followUp.trim() && contents) {
      submit.mutate({ prompt: followUp.trim(), contents });
      setFollowUp('');
    }
  };

  return (
    <>
      <h1>Playground</h1>
      <div className="two-col">
        <form className="card stack" onSubmit={onSubmit} aria-label="Generate an image">
          <div>
            <label htmlFor="prompt">Prompt</label>
            <textarea
              id="prompt"
              value={prompt}
              onChange={(event) => setPrompt(event.target.value)}
              required
            />
          </div>
          <div>
            <label htmlFor="model">Model</label>
            <select id="model" value={model} onChange={(event) => setModel(event.target.value)}>
              <optgroup label="Logical names (routed, with fallbacks)">
                {choices
                  .filter((entry) => entry.kind === 'logical')
                  .map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.id}
                    </option>
                  ))}
              </optgroup>
              <optgroup label="Models">
                {choices
                  .filter((entry) => entry.kind === 'model')
                  .map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.id} — {entry.stage ?? 'unknown'}
                      {entry.daysToShutdown !== null ? `, ${formatDays(entry.daysToShutdown)}` : ''}
                    </option>
                  ))}
              </optgroup>
            </select>
            {choice && (
              <p className="hint" data-testid="model-lifecycle">
                <LifecycleBadge stage={choice.stage} daysToShutdown={choice.daysToShutdown} />
              </p>
            )}
          </div>
          <div className="row">
            <div className="field grow">
              <label htmlFor="aspect">Aspect ratio</label>
              <select
                id="aspect"
                value={aspectRatio}
                onChange={(event) => setAspectRatio(event.target.value)}
              >
                <option value="">model default</option>
                {aspectRatios.map((ratio) => (
                  <option key={ratio}>{ratio}</option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="size">Size</label>
              <select id="size" value={imageSize} onChange={(event) => setImageSize(event.target.value)}>
                <option value="">model default</option>
                {sizes.map((size) => (
                  <option key={size}>{size}</option>
                ))}
              </select>
            </div>
          </div>
          <div className="row">
            <div className="field grow">
              <label htmlFor="format">Format</label>
              <select
                id="format"
                value={format}
                onChange={(event) => setFormat(event.target.value as 'png' | 'jpeg')}
              >
                <option value="png">PNG</option>
                <option value="jpeg">JPEG</option>
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="variants">Variants</label>
              <input
                id="variants"
                type="number"
                min={1}
                max={8}
                value={variants}
                onChange={(event) => setVariants(Math.min(8, Math.max(1, Number(event.target.value) || 1)))}
              />
            </div>
          </div>
          <ReferenceDrop files={references} onChange={setReferences} />
          <div className="actions">
            <button type="submit" disabled={submit.isPending || !prompt.trim()}>
              Generate
            </button>
          </div>
          {submit.error && (
            <p role="alert" className="error">
              {submit.error.message}
            </p>
          )}
        </form>
        <section aria-labelledby="result-heading" className="card">
          <h2 id="result-heading">Result</h2>
          {!current && (
            <p className="muted">Submit a prompt; the result appears here as soon as it is ready.</p>
          )}
          {turns.length > 1 && (
            <ol className="hint">
              {turns.map((turn) => (
                <li key={turn.taskId}>
                  <Link to={`/tasks/${turn.taskId}`}>{turn.prompt}</Link>
                </li>
              ))}
            </ol>
          )}
          {current && task.data && (
            <div className="stack" aria-live="polite">
              <p>
                <StatusBadge status={task.data.status} />{' '}
                <Link to={`/tasks/${task.data.id}`}>{task.data.id}</Link>{' '}
                <span className="muted">
                  estimated {formatUsd(task.data.cost.estimated_usd)}
                  {task.data.cost.actual_usd !== null && `, actual ${formatUsd(task.data.cost.actual_usd)}`}
                </span>
              </p>
              {task.data.served_by && (
                <p className="hint">
                  Served by {task.data.served_by.model} on {task.data.served_by.platform}
                </p>
              )}
              <TaskImages task={task.data} alt={current.prompt} />
              {task.data.error && (
                <p role="alert" className="error">
                  {task.data.error.type}: {task.data.error.message}
                </p>
              )}
              {isFinal(task.data) && task.data.status === 'success' && (
                <form onSubmit={onFollowUp} className="stack" aria-label="Continue the conversation">
                  <div>
                    <label htmlFor="follow-up">Follow-up instruction</label>
                    <textarea
                      id="follow-up"
                      value={followUp}
                      placeholder="Now make the sky orange"
                      onChange={(event) => setFollowUp(event.target.value)}
                    />
                  </div>
                  <button type="submit" disabled={!followUp.trim() || submit.isPending}>
                    Continue
                  </button>
                </form>
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
