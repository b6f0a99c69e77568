/** The exchange's guide steps, each tickable, with the copy boxes the step asks for. */
import type { ExchangeGuide, GuideStep } from '../exchanges/index.js';
import { CopyBox } from './CopyBox.js';
import { IpBox } from './IpBox.js';
import { progressText } from './guide-model.js';

interface Props {
  profile: ExchangeGuide;
  ticks: readonly string[];
  onTick(stepId: string, done: boolean): void;
  label: string;
}

export function GuideSteps({ profile, ticks, onTick, label }: Props) {
  return (
    <section data-testid="guide-steps">
      <h3>
        {profile.name}: create a safe API key{' '}
        <span class="muted small" data-testid="progress">
          ({progressText(ticks, profile.guideSteps)})
        </span>
      </h3>
      <ol class="steps">
        {profile.guideSteps.map((step, i) => (
          <Step
            key={step.id}
            n={i + 1}
            step={step}
            done={ticks.includes(step.id)}
            onTick={onTick}
            label={label}
            labelRule={`${profile.name}: ${profile.labelRule.description}`}
          />
        ))}
      </ol>
    </section>
  );
}

function Step({
  n,
  step,
  done,
  onTick,
  label,
  labelRule,
}: {
  n: number;
  /** What the exchange accepts as a label, in words. */
  labelRule: string;
  step: GuideStep;
  done: boolean;
  onTick: Props['onTick'];
  label: string;
}) {
  return (
    <li class={`step ${done ? 'done' : ''}`} data-step={step.id}>
      <label class="tick">
        <input
          type="checkbox"
          checked={done}
          onChange={(e) => onTick(step.id, e.currentTarget.checked)}
        />
        <span class="step-title">
          {n}. {step.title}
        </span>
      </label>
      {!done && (
        <>
          <ul>
            {step.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          {step.copy === 'label' && (
            <CopyBox
              label={`A label for the key (${labelRule})`}
              value={label}
              testId="label-copy"
            />
          )}
          {step.copy === 'ip' && <IpBox />}
          {step.warning && <p class="warning">{step.warning}</p>}
        </>
      )}
    </li>
  );
}
