import { adminProcedure, router, viewerProcedure } from '../trpc';
import {
  changeOwnPassword,
  createUser,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  setUserRole,
} from '../../users/service';
import { signOutEverywhere } from '../../users/sessions';
import {
  changeOwnPasswordInput,
  createUserInput,
  resetPasswordInput,
  setDisabledInput,
  setRoleInput,
} from '../../users/schemas';

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx, input)),
  setDisabled: adminProcedure.input(setDisabledInput).mutation(({ ctx, input }) => setUserDisabled(ctx, input)),
  resetPassword: adminProcedure.input(resetPasswordInput).mutation(({ ctx, input }) => resetUserPassword(ctx, input)),
  me: viewerProcedure.query(({ ctx }) => ({ id: ctx.actor.id, email: ctx.actor.email, name: ctx.actor.name, role: ctx.actor.role })),
  changeOwnPassword: viewerProcedure.input(changeOwnPasswordInput).mutation(({ ctx, input }) => changeOwnPassword(ctx, input)),
  signOutEverywhere: viewerProcedure.mutation(({ ctx }) => signOutEverywhere(ctx)),
});
