import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { type Observation, trendSeries } from './chart-view';

/** One observation over time as a line chart (loaded lazily: the chart library is large). */
export default function TrendChart({ observations, label }: { observations: Observation[]; label: string }) {
  const data = trendSeries(observations);
  if (data.length < 2) return <Text c="dimmed">Fewer than two values of {label}: nothing to draw.</Text>;
  const unit = observations.find((o) => o.valueQuantity?.unit)?.valueQuantity?.unit ?? '';
  return (
    <LineChart
      h={260}
      data={data}
      dataKey="date"
      series={[{ name: 'value', label: unit ? `${label} (${unit})` : label, color: 'blue.6' }]}
      curveType="linear"
      withDots
      aria-label={`Trend of ${label}`}
    />
  );
}
