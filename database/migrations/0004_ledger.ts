import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The money ledger: accounts, balanced append-only transactions and their entries, and the
 * vouchers a grant issues (docs/decisions/0013-ledger.md).
 *
 * Every table is owned by the tenant of the program the money belongs to, with tenant_id first
 * in every primary, unique and foreign key, and row-level security enabled and forced.
 *
 * Defense in depth beside app/ledger/ledger.ts:
 * - amounts are signed bigint minor units, never zero; an entry's currency must be its account's
 *   (composite foreign key on (tenant_id, account_id, currency));
 * - an account that may not go negative can never hold a negative cached balance (check);
 * - a deferred constraint trigger refuses, at commit, a transaction whose entries do not sum to
 *   zero per currency or that has fewer than two entries;
 * - transactions and entries are append-only: there are no update or delete policies, and a
 *   statement trigger raises on UPDATE, DELETE and TRUNCATE (only the tables' owner may purge,
 *   and only with app.ledger_maintenance = 'on', e.g. to remove test fixtures);
 * - an account's identity (kind, program, owner, currency) never changes; only its cached
 *   balance does.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table ledger_accounts (
        tenant_id uuid not null references tenants (id),
        id uuid not null default gen_random_uuid(),
        kind text not null check (kind in (
          'program_funding', 'program_budget', 'child_credit', 'voucher', 'reservation',
          'expired', 'provider_payable', 'payout_clearing')),
        program_id uuid,
        owner_ref text not null check (length(owner_ref) between 1 and 200),
        currency char(3) not null check (currency in ('CZK', 'PLN', 'EUR')),
        allow_negative boolean not null default false,
        cached_balance bigint not null default 0,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique nulls not distinct (tenant_id, kind, program_id, owner_ref),
        -- Target of the entries' (tenant_id, account_id, currency) foreign key.
        unique (tenant_id, id, currency),
        foreign key (tenant_id, program_id) references programs (tenant_id, id),
        -- Provider payables and payout clearing span the tenant's programs; everything else is one program's.
        check ((program_id is null) = (kind in ('provider_payable', 'payout_clearing'))),
        -- Only the funding source (the funder's side of the program) may go negative.
        check (allow_negative = (kind = 'program_funding')),
        check (allow_negative or cached_balance >= 0)
      );
      create index ledger_accounts_program_idx on ledger_accounts (tenant_id, program_id, kind);

      create table ledger_transactions (
        tenant_id uuid not null references tenants (id),
        id uuid not null default gen_random_uuid(),
        idempotency_key text not null check (length(idempotency_key) between 1 and 200),
        kind text not null check (kind in (
          'fund', 'grant', 'reserve', 'release', 'spend', 'expire', 'payout', 'reversal')),
        -- The program whose accounts the transaction touches (null for payouts).
        program_id uuid,
        reverses_id uuid,
        memo jsonb not null default '{}'::jsonb,
        -- The person who caused it; no foreign key, so erasing a person never rewrites the ledger.
        created_by uuid,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, idempotency_key),
        foreign key (tenant_id, program_id) references programs (tenant_id, id),
        foreign key (tenant_id, reverses_id) references ledger_transactions (tenant_id, id),
        check ((kind = 'reversal') = (reverses_id is not null))
      );
      -- A transaction is reversed at most once.
      create unique index ledger_transactions_reversed_once on ledger_transactions (tenant_id, reverses_id)
        where reverses_id is not null;
      create index ledger_transactions_program_idx on ledger_transactions (tenant_id, program_id, created_at);

      create table ledger_entries (
        tenant_id uuid not null references tenants (id),
        id uuid not null default gen_random_uuid(),
        -- Posting order: taken after the account locks, so per account it follows commit order.
        seq bigint generated always as identity,
        transaction_id uuid not null,
        account_id uuid not null,
        amount bigint not null check (amount <> 0),
        currency char(3) not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, transaction_id, account_id),
        foreign key (tenant_id, transaction_id) references ledger_transactions (tenant_id, id),
        foreign key (tenant_id, account_id, currency) references ledger_accounts (tenant_id, id, currency)
      );
      create index ledger_entries_account_idx on ledger_entries (tenant_id, account_id, seq);

      create table ledger_vouchers (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        program_id uuid not null,
        program_version integer not null,
        child_ref text not null check (length(child_ref) between 1 and 200),
        code text not null check (code ~ '^[2-9ABCDEFGHJKMNPQRSTVWXYZ]{16}$'),
        account_id uuid not null,
        grant_transaction_id uuid not null,
        face_value bigint not null check (face_value > 0),
        currency char(3) not null,
        period_key text,
        expires_at timestamptz,
        status text not null default 'active' check (status in ('active', 'spent', 'expired', 'cancelled')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, code),
        unique (tenant_id, account_id),
        foreign key (tenant_id, program_id) references programs (tenant_id, id),
        foreign key (tenant_id, program_id, program_version)
          references program_versions (tenant_id, program_id, version),
        foreign key (tenant_id, account_id, currency) references ledger_accounts (tenant_id, id, currency),
        foreign key (tenant_id, grant_transaction_id) references ledger_transactions (tenant_id, id)
      );
      create index ledger_vouchers_child_idx on ledger_vouchers (tenant_id, program_id, child_ref);
      create index ledger_vouchers_grant_idx on ledger_vouchers (tenant_id, grant_transaction_id);
    `)

    /*
     * Append-only and immutability triggers. They run for every role; the owner may purge only
     * when it asks for it explicitly (app.ledger_maintenance = 'on'), and the runtime role owns
     * nothing and is no member of the owner, so it never can.
     */
    this.schema.raw(`
      create or replace function ledger_forbid_change() returns trigger language plpgsql as $$
      begin
        if coalesce(nullif(current_setting('app.ledger_maintenance', true), ''), 'off') = 'on'
           and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = TG_RELID), 'MEMBER') then
          return null;
        end if;
        raise exception 'ledger: % on % is not allowed: the ledger is append-only (post a reversal instead)',
          TG_OP, TG_TABLE_NAME using errcode = '42501';
      end $$;

      create trigger ledger_transactions_append_only before update or delete or truncate on ledger_transactions
        for each statement execute function ledger_forbid_change();
      create trigger ledger_entries_append_only before update or delete or truncate on ledger_entries
        for each statement execute function ledger_forbid_change();
      create trigger ledger_accounts_no_delete before delete or truncate on ledger_accounts
        for each statement execute function ledger_forbid_change();
      create trigger ledger_vouchers_no_delete before delete or truncate on ledger_vouchers
        for each statement execute function ledger_forbid_change();

      -- An account's identity never changes; only cached_balance moves (with each posting).
      create or replace function ledger_accounts_identity_fixed() returns trigger language plpgsql as $$
      begin
        if (new.tenant_id, new.id, new.kind, new.program_id, new.owner_ref, new.currency, new.allow_negative, new.created_at)
           is distinct from
           (old.tenant_id, old.id, old.kind, old.program_id, old.owner_ref, old.currency, old.allow_negative, old.created_at) then
          raise exception 'ledger: only the cached balance of account % may change', old.id using errcode = '42501';
        end if;
        return new;
      end $$;
      create trigger ledger_accounts_identity before update on ledger_accounts
        for each row execute function ledger_accounts_identity_fixed();

      -- A voucher's identity never changes; only its status (and updated_at) does.
      create or replace function ledger_vouchers_identity_fixed() returns trigger language plpgsql as $$
      begin
        if (new.tenant_id, new.id, new.program_id, new.program_version, new.child_ref, new.code, new.account_id,
            new.grant_transaction_id, new.face_value, new.currency, new.period_key, new.expires_at, new.created_at)
           is distinct from
           (old.tenant_id, old.id, old.program_id, old.program_version, old.child_ref, old.code, old.account_id,
            old.grant_transaction_id, old.face_value, old.currency, old.period_key, old.expires_at, old.created_at) then
          raise exception 'ledger: only the status of voucher % may change', old.id using errcode = '42501';
        end if;
        return new;
      end $$;
      create trigger ledger_vouchers_identity before update on ledger_vouchers
        for each row execute function ledger_vouchers_identity_fixed();

      /*
       * Checked at commit (deferred), once the whole posting is written: at least two entries and
       * a zero sum per currency. Fires for a new transaction and for any entry added later to an
       * existing one.
       */
      create or replace function ledger_check_balanced() returns trigger language plpgsql as $$
      declare
        v_tenant uuid := new.tenant_id;
        v_transaction uuid;
        v_count integer;
        v_bad record;
      begin
        -- Separate statements: an expression naming a field the row type lacks fails even unevaluated.
        if TG_TABLE_NAME = 'ledger_entries' then
          v_transaction := new.transaction_id;
        else
          v_transaction := new.id;
        end if;
        select count(*) into v_count from ledger_entries e
          where e.tenant_id = v_tenant and e.transaction_id = v_transaction;
        if v_count < 2 then
          raise exception 'ledger: transaction % has % entries; a posting needs at least two', v_transaction, v_count
            using errcode = '23514';
        end if;
        select e.currency, sum(e.amount) as total into v_bad from ledger_entries e
          where e.tenant_id = v_tenant and e.transaction_id = v_transaction
          group by e.currency having sum(e.amount) <> 0 limit 1;
        if found then
          raise exception 'ledger: transaction % does not balance in % (sum %)', v_transaction, v_bad.currency, v_bad.total
            using errcode = '23514';
        end if;
        return null;
      end $$;
      create constraint trigger ledger_transactions_balanced after insert on ledger_transactions
        deferrable initially deferred for each row execute function ledger_check_balanced();
      create constraint trigger ledger_entries_balanced after insert on ledger_entries
        deferrable initially deferred for each row execute function ledger_check_balanced();
    `)

    /*
     * Row-level security: the program's tenant, or the platform scope. Transactions and entries
     * have read and insert policies only (append-only); accounts may be updated (cached balance)
     * and vouchers too (status); nothing may be deleted.
     */
    this.schema.raw(`
      alter table ledger_accounts enable row level security;
      alter table ledger_accounts force row level security;
      create policy ledger_accounts_read on ledger_accounts for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_accounts_insert on ledger_accounts for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_accounts_update on ledger_accounts for update
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());

      alter table ledger_transactions enable row level security;
      alter table ledger_transactions force row level security;
      create policy ledger_transactions_read on ledger_transactions for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_transactions_insert on ledger_transactions for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());

      alter table ledger_entries enable row level security;
      alter table ledger_entries force row level security;
      create policy ledger_entries_read on ledger_entries for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_entries_insert on ledger_entries for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());

      alter table ledger_vouchers enable row level security;
      alter table ledger_vouchers force row level security;
      create policy ledger_vouchers_read on ledger_vouchers for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_vouchers_insert on ledger_vouchers for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy ledger_vouchers_update on ledger_vouchers for update
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw(`
      drop table if exists ledger_vouchers, ledger_entries, ledger_transactions, ledger_accounts cascade;
      drop function if exists ledger_forbid_change, ledger_accounts_identity_fixed,
        ledger_vouchers_identity_fixed, ledger_check_balanced;
    `)
  }
}
