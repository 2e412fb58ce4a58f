/**
 * The renderer's single ECharts registry. Import this module (for its side effect) before
 * rendering any `VChart`; add a chart type or component here, never ad hoc in a view, so the
 * bundle holds exactly what the views use (echarts/core is tree-shaken).
 */
import { use } from 'echarts/core'
import { LineChart } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
// Election timeline: custom series (bands, marks, arrows) zoomed by inside + slider dataZoom.
import { CustomChart } from 'echarts/charts'
import { DataZoomInsideComponent, DataZoomSliderComponent } from 'echarts/components'

use([LineChart, GridComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer])
use([CustomChart, DataZoomInsideComponent, DataZoomSliderComponent])
