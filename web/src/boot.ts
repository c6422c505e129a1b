// Loaded with `async` beside the app's bundle (index.html): starts a returning visitor's first
// request at once (early.ts).
import { startEarly } from './early';

startEarly();
