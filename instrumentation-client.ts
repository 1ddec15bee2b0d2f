/**
 * Runs in the browser before the app's own code. zod compiles object parsers with `new Function` when eval is
 * allowed, and merely probing for it is reported as a Content-Security-Policy violation under our policy (no
 * 'unsafe-eval'); jitless mode skips the probe and parses without code generation.
 */
import { z } from 'zod';

z.config({ jitless: true });
