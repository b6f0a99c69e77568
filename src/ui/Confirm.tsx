/** An inline confirmation (popups cannot rely on window.confirm); focus moves to it. */
import { useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  text: string;
  action: string;
  onConfirm(): void;
  onCancel(): void;
}

export function Confirm({ text, action, onConfirm, onCancel }: Props) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Layout effect: focus moves in the same frame the dialog appears (a plain effect runs after
  // paint, so a key pressed in between would still hit the button that opened it).
  useLayoutEffect(() => confirmButton.current?.focus(), []);
  return (
    <div class="confirm" role="alertdialog" aria-label={action} data-testid="confirm">
      <p>{text}</p>
      <div class="actions">
        <button ref={confirmButton} type="button" class="primary" onClick={onConfirm}>
          {action}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
