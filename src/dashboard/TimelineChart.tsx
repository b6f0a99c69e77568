/**
 * The timeline of signals → orders per connection as a bar chart (chart.js, only the bar
 * chart's parts registered), with its text alternative: a table of the counts per connection
 * and a one-sentence summary as the canvas's label.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { timelineSummary, type Timeline } from './timeline.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** One hue per connection; signals drawn faint, orders solid. */
const HUES = [212, 140, 28, 280, 350, 180, 55];
const colour = (i: number, alpha: number): string =>
  `hsla(${HUES[i % HUES.length]}, 70%, 50%, ${alpha})`;

const DARK = '(prefers-color-scheme: dark)';

/** Whether the page is dark now; follows the system's switch while the page is open. */
function useDark(): boolean {
  const [isDark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const follow = (): void => setDark(query.matches);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  return isDark;
}

export function TimelineChart({
  timeline,
  rangeLabel,
}: {
  timeline: Timeline;
  rangeLabel: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const summary = timelineSummary(timeline, rangeLabel);
  const isDark = useDark();

  useEffect(() => {
    if (!canvas.current) return;
    const text = isDark ? '#d0d7de' : '#424a53';
    const grid = isDark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.1)';
    const data = {
      labels: timeline.bins.map((b) => b.label),
      datasets: timeline.series.flatMap((s, i) => [
        {
          label: `${s.label} · signals`,
          data: s.signals,
          stack: 'signals',
          backgroundColor: colour(i, 0.35),
          borderColor: colour(i, 0.9),
          borderWidth: 1,
        },
        {
          label: `${s.label} · orders`,
          data: s.orders,
          stack: 'orders',
          backgroundColor: colour(i, 0.9),
        },
      ]),
    };
    if (chart.current && chart.current.options.color === text) {
      chart.current.data = data;
      chart.current.update('none');
      return;
    }
    chart.current?.destroy(); // the colour scheme changed: draw it again in the new colours
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        color: text,
        scales: {
          x: { stacked: true, ticks: { color: text }, grid: { color: grid } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { color: text, precision: 0 },
            grid: { color: grid },
            title: { display: true, text: 'count', color: text },
          },
        },
        plugins: { legend: { position: 'bottom', labels: { color: text, boxWidth: 12 } } },
      },
    });
  }, [timeline, isDark]);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <figure class="timeline" data-testid="timeline">
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={summary} data-testid="timeline-canvas" />
      </div>
      <figcaption class="muted">
        Per time bin: signals each connection was routed (faint) and the orders it made of them
        (solid).
      </figcaption>
      <table class="data" data-testid="timeline-table">
        <caption>The chart's counts, {rangeLabel.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col">Signals</th>
            <th scope="col">Orders</th>
            <th scope="col">Placed</th>
            <th scope="col">Simulated</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {timeline.series.map((s) => (
            <tr key={s.connectionId} data-connection={s.connectionId}>
              <th scope="row">{s.label}</th>
              <td data-count="signals">{s.totals.signals}</td>
              <td data-count="orders">{s.totals.orders}</td>
              <td data-count="placed">{s.totals.placed}</td>
              <td data-count="simulated">{s.totals.simulated}</td>
              <td data-count="failed">{s.totals.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
