/** A labelled filter choice with "All" first (value ALL). */
import { ALL } from './history-filter.js';

export function Select({
  label,
  testid,
  value,
  choices,
  onChange,
}: {
  label: string;
  testid: string;
  value: string;
  choices: readonly (readonly [value: string, text: string])[];
  onChange(value: string): void;
}) {
  return (
    <label class="filter">
      {label}{' '}
      <select data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value={ALL}>All</option>
        {choices.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
