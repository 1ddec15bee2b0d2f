import { router, viewerProcedure } from '../trpc';
import { createApiToken, createTokenInput, listApiTokens, revokeApiToken, revokeTokenInput } from '../../auth/tokens';

export const tokensRouter = router({
  list: viewerProcedure.query(({ ctx }) => listApiTokens(ctx)),
  create: viewerProcedure.input(createTokenInput).mutation(({ ctx, input }) => createApiToken(ctx, input)),
  revoke: viewerProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeApiToken(ctx, input)),
});
