/**
 * The renderer's single ECharts registry. Import this module (for its side effect) before
 * rendering any `VChart`; add a chart type or component here, never ad hoc in a view, so the
 * bundle holds exactly what the views use (echarts/core is tree-shaken).
 */
import { use } from 'echarts/core'
import { BarChart, CustomChart, LineChart } from 'echarts/charts'
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendComponent,
  LegendScrollComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([
  LineChart,
  GridComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
  // Metrics view: leader-change bars and per-node legends.
  BarChart,
  LegendComponent,
  LegendScrollComponent,
  // Election timeline: custom series (bands, marks, arrows) zoomed by inside + slider dataZoom.
  CustomChart,
  DataZoomInsideComponent,
  DataZoomSliderComponent
])
