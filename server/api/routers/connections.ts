import { adminProcedure, router } from '../trpc';
import {
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  testConnectionSettings,
  updateConnection,
} from '../../connections/service';
import { connectionIdInput, createConnectionInput, testConnectionInput, updateConnectionInput } from '../../connections/schemas';

export const connectionsRouter = router({
  list: adminProcedure.query(({ ctx }) => listConnections(ctx)),
  get: adminProcedure.input(connectionIdInput).query(({ ctx, input }) => getConnection(ctx, input.connectionId)),
  create: adminProcedure.input(createConnectionInput).mutation(({ ctx, input }) => createConnection(ctx, input)),
  update: adminProcedure.input(updateConnectionInput).mutation(({ ctx, input }) => updateConnection(ctx, input)),
  delete: adminProcedure.input(connectionIdInput).mutation(({ ctx, input }) => deleteConnection(ctx, input)),
  test: adminProcedure.input(testConnectionInput).mutation(({ ctx, input }) => testConnectionSettings(ctx, input)),
});
