// The run's report.html, drawn by the report module (src/report/render.ts).
export { renderReport as renderRunReport } from '../report/render.ts';
