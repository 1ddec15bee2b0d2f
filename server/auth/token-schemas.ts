/** Inputs of the API token verbs. Pure zod, shared by the router and the settings page. */
import { z } from 'zod';

export const createTokenInput = z.object({ name: z.string().trim().min(1, 'name the token, e.g. "export script"').max(80) });
export const revokeTokenInput = z.object({ tokenId: z.uuid() });
