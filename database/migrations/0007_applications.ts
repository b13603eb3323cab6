import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Applications for a program's benefit, their documents, history and decisions
 * (docs/decisions/0015-applications-and-documents.md).
 *
 * An application belongs to the tenant of the program (a Praha 5 resident's application to the
 * nationwide ČRDM call is ČRDM's), so all four are tenant tables: tenant_id first in every key,
 * row-level security enabled and forced. Who sees a row:
 * - the tenant's staff (app_is_staff() in the tenant's admin scope);
 * - the applicant, in any scope (applicant_user_id = app_user_id()): a citizen's portal runs in the
 *   home tenant's scope but must see the applications they made to a nationwide program;
 * - the platform scope.
 *
 * One live application per child, program and period: a partial unique index over the states
 * that still count (submitted, more information requested, approved), so two racing submissions
 * cannot both land, and a withdrawn or rejected application does not block a new one.
 *
 * Status changes follow a fixed graph, enforced by a trigger as well as in the app.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table applications (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        -- Short reference for letters and phone calls (per tenant): A-2026-000123.
        reference text not null,
        program_id uuid not null,
        program_version integer not null,
        applicant_user_id uuid not null references users (id),
        child_id uuid not null references children (id),
        period_key text not null check (length(period_key) between 1 and 40),
        status text not null default 'submitted'
          check (status in ('submitted', 'info_requested', 'approved', 'rejected', 'withdrawn')),
        -- What the applicant declared (benefits received, income, protection status...).
        declared jsonb not null default '{}'::jsonb check (jsonb_typeof(declared) = 'object'),
        -- The facts and verdict at submission (the decision records its own).
        facts jsonb not null default '{}'::jsonb,
        eligible boolean not null,
        reasons jsonb not null default '[]'::jsonb,
        info_request text,
        decision_reason text,
        decided_by uuid references users (id) on delete set null,
        decided_at timestamptz,
        grant_transaction_id uuid,
        submitted_at timestamptz not null default now(),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, reference),
        foreign key (tenant_id, program_id) references programs (tenant_id, id),
        foreign key (tenant_id, program_id, program_version)
          references program_versions (tenant_id, program_id, version),
        foreign key (tenant_id, grant_transaction_id) references ledger_transactions (tenant_id, id),
        check ((status in ('approved', 'rejected')) = (decided_at is not null)),
        check (status <> 'rejected' or length(coalesce(decision_reason, '')) > 0),
        check (status <> 'info_requested' or length(coalesce(info_request, '')) > 0)
      );
      create unique index applications_one_live_per_child on applications
        (tenant_id, program_id, child_id, period_key)
        where status in ('submitted', 'info_requested', 'approved');
      create index applications_queue_idx on applications (tenant_id, status, submitted_at);
      create index applications_applicant_idx on applications (applicant_user_id, created_at desc);

      create sequence application_reference_seq;

      create table application_documents (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        application_id uuid not null,
        document_key text not null check (document_key ~ '^[a-z0-9_]{1,60}$'),
        file_name text not null check (length(file_name) between 1 and 255),
        content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
        size_bytes integer not null check (size_bytes > 0),
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text not null,
        uploaded_by uuid references users (id) on delete set null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, storage_key),
        foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade
      );
      create index application_documents_app_idx on application_documents (tenant_id, application_id);

      create table application_events (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        seq bigint generated always as identity,
        application_id uuid not null,
        kind text not null check (kind in (
          'submitted', 'document_added', 'info_requested', 'info_provided', 'approved', 'rejected',
          'withdrawn', 'approval_refused')),
        actor_user_id uuid references users (id) on delete set null,
        actor_role text not null check (actor_role in ('applicant', 'staff', 'system')),
        note text,
        data jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade
      );
      create index application_events_app_idx on application_events (tenant_id, application_id, seq);

      -- Every decision with what it was based on, so it can be replayed.
      create table application_decisions (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        application_id uuid not null,
        outcome text not null check (outcome in ('approved', 'rejected')),
        decided_by uuid references users (id) on delete set null,
        decided_at timestamptz not null default now(),
        program_version integer not null,
        rule jsonb not null,
        params jsonb not null default '{}'::jsonb,
        rule_key text not null,
        facts jsonb not null,
        eligible boolean not null,
        trace jsonb not null default '[]'::jsonb,
        reason text,
        grant_transaction_id uuid,
        benefits jsonb not null default '[]'::jsonb,
        primary key (tenant_id, id),
        foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade,
        foreign key (tenant_id, grant_transaction_id) references ledger_transactions (tenant_id, id)
      );
      create index application_decisions_app_idx on application_decisions (tenant_id, application_id, decided_at);
    `)

    this.schema.raw(`
      create or replace function applications_status_graph() returns trigger language plpgsql as $$
      begin
        if new.status is distinct from old.status and not (
             (old.status = 'submitted' and new.status in ('info_requested', 'approved', 'rejected', 'withdrawn'))
          or (old.status = 'info_requested' and new.status in ('submitted', 'rejected', 'withdrawn'))
        ) then
          raise exception 'applications: status % cannot change to %', old.status, new.status
            using errcode = '23514';
        end if;
        if (new.tenant_id, new.id, new.reference, new.program_id, new.applicant_user_id, new.child_id, new.period_key)
           is distinct from
           (old.tenant_id, old.id, old.reference, old.program_id, old.applicant_user_id, old.child_id, old.period_key) then
          raise exception 'applications: identity of % cannot change', old.id using errcode = '42501';
        end if;
        return new;
      end $$;
      create trigger applications_status before update on applications
        for each row execute function applications_status_graph();

      -- Documents, history and decisions are append-only (erasure runs as the owner). The one change
      -- allowed is the database's own: a person's account removed sets their reference to null.
      create or replace function application_history_fixed() returns trigger language plpgsql as $$
      declare
        people text[] := array['uploaded_by', 'actor_user_id', 'decided_by'];
        col text;
      begin
        if (to_jsonb(new) - people) is distinct from (to_jsonb(old) - people) then
          raise exception '%: rows are append-only', TG_TABLE_NAME using errcode = '42501';
        end if;
        foreach col in array people loop
          if (to_jsonb(new) -> col) is distinct from (to_jsonb(old) -> col)
             and (to_jsonb(new) -> col) <> 'null'::jsonb then
            raise exception '%: % may only be cleared', TG_TABLE_NAME, col using errcode = '42501';
          end if;
        end loop;
        return new;
      end $$;
      create trigger application_documents_fixed before update on application_documents
        for each row execute function application_history_fixed();
      create trigger application_events_fixed before update on application_events
        for each row execute function application_history_fixed();
      create trigger application_decisions_fixed before update on application_decisions
        for each row execute function application_history_fixed();
      create trigger application_events_no_delete before delete on application_events
        for each statement execute function ledger_forbid_change();
      create trigger application_decisions_no_delete before delete on application_decisions
        for each statement execute function ledger_forbid_change();
    `)

    const mine = `(tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform()`
    const own = (table: string) =>
      `exists (select 1 from applications a where a.tenant_id = ${table}.tenant_id
               and a.id = ${table}.application_id and a.applicant_user_id = app_user_id())`
    this.schema.raw(`
      alter table applications enable row level security;
      alter table applications force row level security;
      create policy applications_read on applications for select
        using (${mine} or applicant_user_id = app_user_id());
      create policy applications_insert on applications for insert
        with check (${mine} or applicant_user_id = app_user_id());
      create policy applications_update on applications for update
        using (${mine} or applicant_user_id = app_user_id())
        with check (${mine} or applicant_user_id = app_user_id());

      -- A reviewer reads the child of an application made to their tenant (name, birth date).
      create policy children_applied_read on children for select
        using (app_is_staff() and exists (
          select 1 from applications a where a.child_id = children.id and a.tenant_id = app_tenant_id()));

      alter table application_documents enable row level security;
      alter table application_documents force row level security;
      create policy application_documents_read on application_documents for select
        using (${mine} or ${own('application_documents')});
      create policy application_documents_insert on application_documents for insert
        with check (${mine} or ${own('application_documents')});
      create policy application_documents_delete on application_documents for delete
        using (${mine} or ${own('application_documents')});

      alter table application_events enable row level security;
      alter table application_events force row level security;
      create policy application_events_read on application_events for select
        using (${mine} or ${own('application_events')});
      create policy application_events_insert on application_events for insert
        with check (${mine} or ${own('application_events')});

      alter table application_decisions enable row level security;
      alter table application_decisions force row level security;
      create policy application_decisions_read on application_decisions for select
        using (${mine} or ${own('application_decisions')});
      create policy application_decisions_insert on application_decisions for insert
        with check (${mine});
    `)
  }

  async down() {
    this.schema.raw(`
      drop table if exists application_decisions, application_events, application_documents, applications cascade;
      drop sequence if exists application_reference_seq;
      drop function if exists applications_status_graph, application_history_fixed;
    `)
  }
}
