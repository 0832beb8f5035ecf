/**
 * In-page timing of the review table's first row, installed with `page.addInitScript` so it runs
 * before the app's scripts in every new document. All times are `performance.now()` of the page,
 * i.e. milliseconds since the navigation started (the document's time origin).
 */

/** What the probe measured in one page load. */
export interface FirstRowTiming {
  /** The first `.review-table tbody tr` was added to the DOM (a MutationObserver saw it). */
  rowInDomMilliseconds: number;
  /**
   * The frame holding that row was painted: a task posted from the next `requestAnimationFrame`
   * runs once the frame's rendering (style, layout, paint) is done.
   */
  rowPaintedMilliseconds: number;
  /** Chromium's Element Timing `renderTime` of the row's cells (the frame's presentation), if reported. */
  rowRenderTimeMilliseconds?: number;
  /** First contentful paint of the page (anything, e.g. the app's header). */
  firstContentfulPaintMilliseconds?: number;
  /** The row was inside the viewport and visible when painted. */
  rowVisible: boolean;
  /** The `responseEnd` of the HTML document and of the list request `/test-cases?…`. */
  documentResponseEndMilliseconds: number;
  listResponseEndMilliseconds?: number;
  /** When the list request was sent (its `startTime`). */
  listRequestStartMilliseconds?: number;
  /** How many list and session requests the page sent (one each: the early ones were used). */
  listRequests: number;
  sessionRequests: number;
}

declare global {
  interface Window {
    __reviewFirstRow?: Promise<FirstRowTiming>;
  }
}

/**
 * The probe's source for `page.addInitScript({ content })`. tsx compiles with esbuild's
 * `keepNames`, which wraps inner functions in a `__name(...)` helper the page lacks: it is defined
 * as the identity first.
 */
export function firstRowProbeScript(selector: string): string {
  return `var __name = (target) => target;\n(${installFirstRowProbe.toString()})(${JSON.stringify(selector)});`;
}

/** The probe itself; serialised into the page, so it may use nothing from outside its body. */
function installFirstRowProbe(selector: string): void {
  const elementTimes: number[] = [];
  let elementReported: () => void = () => undefined;
  const elementTimed = new Promise<void>((resolve) => (elementReported = resolve));
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        elementTimes.push((entry as PerformanceEntry & { renderTime: number }).renderTime);
      elementReported();
    }).observe({ type: 'element', buffered: true });
  } catch {
    // Element Timing not supported: the frame timing stands alone.
  }
  const afterNextFrame = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(undefined);
      }),
    );
  const afterFrames = async (count: number) => {
    for (let frame = 0; frame < count; frame += 1) await afterNextFrame();
  };
  const measure = async (row: Element, rowInDomMilliseconds: number): Promise<FirstRowTiming> => {
    const rowPaintedMilliseconds = await afterNextFrame();
    const box = row.getBoundingClientRect();
    const rowVisible = row.checkVisibility() && box.height > 0 && box.top < innerHeight && box.bottom > 0;
    // Element Timing entries arrive a few frames after presentation; 30 frames at most.
    await Promise.race([elementTimed, afterFrames(30)]);
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const list = resources.filter((entry) => /\/test-cases\?/.test(entry.name));
    const contentful = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      rowInDomMilliseconds,
      rowPaintedMilliseconds,
      ...(elementTimes.length > 0 ? { rowRenderTimeMilliseconds: Math.min(...elementTimes) } : {}),
      ...(contentful ? { firstContentfulPaintMilliseconds: contentful.startTime } : {}),
      rowVisible,
      documentResponseEndMilliseconds: navigation.responseEnd,
      ...(list[0]
        ? {
            listResponseEndMilliseconds: list[0].responseEnd,
            listRequestStartMilliseconds: list[0].startTime,
          }
        : {}),
      listRequests: list.length,
      sessionRequests: resources.filter((entry) => /\/api\/session$/.test(entry.name)).length,
    };
  };
  window.__reviewFirstRow = new Promise((resolve) => {
    const found = () => {
      const row = document.querySelector(selector);
      if (!row) return false;
      const rowInDomMilliseconds = performance.now();
      // Marked before the first paint of the row (observer callbacks run before rendering).
      for (const cell of row.querySelectorAll('td')) cell.setAttribute('elementtiming', 'first-row');
      void measure(row, rowInDomMilliseconds).then(resolve);
      return true;
    };
    const observer = new MutationObserver(() => {
      if (found()) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}
