// The first script of index.html, before the stylesheet, and neither async nor deferred: it runs
// as soon as it arrives, before anything else has a chance to keep the main thread busy (the
// app's bundle, 160 KB, takes hundreds of milliseconds to compile and run on a busy machine), and
// starts the page's first requests (early.ts). The app's bundle imports it first too, for a page
// where it did not run.
import { startEarly } from './early';

startEarly();
