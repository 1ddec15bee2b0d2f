import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { listUsers } from '~/server/users/service';
import { CreateUserForm, UserRowControls } from './user-forms';
import { roleLabels } from '~/server/auth/roles';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Users · CollabStudy' };

export default async function AdminUsersPage() {
  const actor = await requirePageRole('admin');
  const users = await listUsers({ db: await getDb(), actor });
  const enabledAdmins = users.filter((u) => u.role === 'admin' && !u.disabled).length;
  return (
    <div className="stack">
      <h1>Users</h1>
      <p className="muted small">
        Admins manage users and LLM connections. Researchers create and run studies and benchmarks. Viewers can look at
        everything but change nothing.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const lastAdmin = u.role === 'admin' && !u.disabled && enabledAdmins === 1;
            return (
              <tr key={u.id}>
                <td>
                  {u.email}
                  {u.id === actor.id && <span className="small muted"> (you)</span>}
                </td>
                <td>{u.name ?? ''}</td>
                <td>{roleLabels[u.role]}</td>
                <td>{u.disabled ? <span className="badge">Disabled</span> : 'Active'}</td>
                <td>
                  <UserRowControls userId={u.id} email={u.email} role={u.role} disabled={u.disabled} lastAdmin={lastAdmin} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <section className="card stack">
        <h2 style={{ margin: 0 }}>Add a user</h2>
        <CreateUserForm />
      </section>
    </div>
  );
}
