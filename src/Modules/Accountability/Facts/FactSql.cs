namespace Helpline.Accountability.Facts;

/// <summary>
/// The statements that turn events into facts, in the event batch's transaction. Those over arrays take a row for each of
/// several grievances, at most one row a grievance (see <see cref="FactStatements"/>).
/// </summary>
internal static class FactSql
{
    // One fact a row: $1 ids, $2 kinds, $3 references, $4 sequences, $5 instants, $6 officers, $7 positions, $8 levels,
    // $9 supervisor positions, $10 supervisor officers, $11 departments, $12 jurisdictions, $13 districts, $14 tehsils,
    // $15 blocks, $16 on time, $17 recorded at, $18 notes. A breach of a grievance on hold is excused: it counts against
    // nobody. A refused return counts against the officer who asked for it (on record from its request), not whoever
    // holds the seat on paper. The grievance's row is read by its key for each fact that needs it, not joined: a join
    // planned while the table was small would read the whole table on every run once it has grown.
    public const string Insert = """
        insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id,
                                         supervisor_officer_id, department_id, jurisdiction_id, district_id, tehsil_id, block_id, on_time,
                                         recorded_at, note, excused)
        select f.id, f.kind, f.reference_number, f.sequence, f.at,
               case when f.kind = 'overturned_return'
                    then coalesce((select g.return_requested_by from accountability.grievance g where g.reference_number = f.reference_number), f.officer_id)
                    else f.officer_id end,
               f.position_id, f.level, f.supervisor_position_id, f.supervisor_officer_id, f.department_id, f.jurisdiction_id, f.district_id,
               f.tehsil_id, f.block_id, f.on_time, f.recorded_at, f.note,
               case when f.kind = 'breach' and (select g.on_hold from accountability.grievance g where g.reference_number = f.reference_number)
                    then 'It was on hold when the due date passed: the clock had stopped.' end
        from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[],
                    $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::boolean[], $17::timestamptz[], $18::text[])
             as f(id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id, supervisor_officer_id,
                  department_id, jurisdiction_id, district_id, tehsil_id, block_id, on_time, recorded_at, note)
        on conflict (id) do nothing
        """;

    // $1 references, $2 on hold.
    public const string Hold = """
        insert into accountability.grievance (reference_number, on_hold)
        select * from unnest($1::text[], $2::boolean[])
        on conflict (reference_number) do update set on_hold = excluded.on_hold
        """;

    // $1 references, $2 sequences, $3 officers, $4 positions.
    public const string Disposed = """
        insert into accountability.grievance (reference_number, on_hold, disposal_sequence, disposal_officer_id, disposal_position_id)
        select d.reference_number, false, d.sequence, d.officer_id, d.position_id
        from unnest($1::text[], $2::int[], $3::text[], $4::text[]) as d(reference_number, sequence, officer_id, position_id)
        on conflict (reference_number) do update
        set on_hold = false, disposal_sequence = excluded.disposal_sequence, disposal_officer_id = excluded.disposal_officer_id,
            disposal_position_id = excluded.disposal_position_id
        """;

    // A reopening counts against the officer whose disposal it undoes: a copy of that disposal's fact, as a reopening.
    // $1 id, $2 reference, $3 sequence, $4 at, $5 recorded at, $6 note.
    public const string Reopened = """
        insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id,
                                         supervisor_officer_id, department_id, jurisdiction_id, district_id, tehsil_id, block_id, recorded_at, note)
        select $1, 'reopened', d.reference_number, $3, $4, d.officer_id, d.position_id, d.level, d.supervisor_position_id,
               d.supervisor_officer_id, d.department_id, d.jurisdiction_id, d.district_id, d.tehsil_id, d.block_id, $5, $6
        from accountability.grievance g
        join accountability.fact d on d.reference_number = g.reference_number and d.kind = 'disposal' and d.sequence = g.disposal_sequence
        where g.reference_number = $2
        on conflict (id) do nothing
        """;

    // $1 reference: the latest breach was at the top of the chain. One grievance a statement, as Clear: over an array,
    // a plan made while the table was small reads every breach or every fact on each run once it has grown.
    public const string AtTop = """
        update accountability.fact set at_top = true
        where id = (select id from accountability.fact where reference_number = $1 and kind = 'breach' order by sequence desc limit 1)
        """;

    // $1 reference, $2 at, $3 why, $4 only breaches at the top.
    public const string Clear = """
        update accountability.fact set cleared_at = $2, cleared_why = $3
        where reference_number = $1 and kind = 'breach' and cleared_at is null and (not $4 or at_top)
        """;

    // $1 references, $2 sequences, $3 instants: the events of a batch that end the holding before them, in order. A
    // holding stored before the batch ends at the first of them, for its grievance, that comes after it.
    public const string EndHoldings = """
        with e as (select * from unnest($1::text[], $2::int[], $3::timestamptz[]) as e(reference_number, sequence, at)),
        ending as (
            select distinct on (h.reference_number, h.sequence) h.reference_number, h.sequence, e.at
            from accountability.holding h
            join e on e.reference_number = h.reference_number and e.sequence > h.sequence
            where h.to_at is null and h.reference_number = any($1)
            order by h.reference_number, h.sequence, e.sequence)
        update accountability.holding h set to_at = ending.at
        from ending
        where h.reference_number = ending.reference_number and h.sequence = ending.sequence
        """;

    // The holdings a batch starts, one element of each array a holding: $1 reference, $2 sequence, $3 from, $4 officer,
    // $5 position, $6 level, $7 department, $8 jurisdiction, $9 district, $10 tehsil, $11 block, $12 due, $13 on hold
    // (null: as the grievance is before the batch), $14 until (null: still open). One started again is left as it is.
    public const string StartHoldings = """
        insert into accountability.holding (reference_number, sequence, from_at, officer_id, position_id, level, department_id, jurisdiction_id,
                                            district_id, tehsil_id, block_id, due_at, on_hold, to_at)
        select s.reference_number, s.sequence, s.from_at, s.officer_id, s.position_id, s.level, s.department_id, s.jurisdiction_id,
               s.district_id, s.tehsil_id, s.block_id, s.due_at,
               coalesce(s.on_hold, (select g.on_hold from accountability.grievance g where g.reference_number = s.reference_number), false), s.to_at
        from unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[],
                    $11::text[], $12::timestamptz[], $13::boolean[], $14::timestamptz[])
             as s(reference_number, sequence, from_at, officer_id, position_id, level, department_id, jurisdiction_id, district_id, tehsil_id,
                  block_id, due_at, on_hold, to_at)
        on conflict do nothing
        """;

    // $1 references: those of them a not-pertaining return is on record for (a move may bring it back to that seat),
    // and those on hold (an event that takes them off hold must say so).
    public const string StateAtStart = """
        select reference_number, returned_from_position is not null, on_hold from accountability.grievance
        where reference_number = any($1) and (returned_from_position is not null or on_hold)
        """;

    // $1 reference, $2 the officer who asked.
    public const string ReturnRequested = """
        insert into accountability.grievance (reference_number, return_requested_by) values ($1, $2)
        on conflict (reference_number) do update set return_requested_by = excluded.return_requested_by
        """;

    // $1 reference, $2 seat, $3 holder (when the request is not on record), $4 at: a not-pertaining return took effect
    // from this seat, asked for by the officer on record.
    public const string Returned = """
        insert into accountability.grievance (reference_number, returned_from_position, returned_from_officer, returned_at) values ($1, $2, $3, $4)
        on conflict (reference_number) do update
        set returned_from_position = excluded.returned_from_position,
            returned_from_officer = coalesce(accountability.grievance.return_requested_by, excluded.returned_from_officer),
            returned_at = excluded.returned_at
        """;

    // The grievance came back to the seat that returned it as not pertaining: the return is overturned, counted
    // against the officer who returned it. $1 id, $2 reference, $3 sequence, $4 at, $5 seat now, $6 recorded at, $7 note,
    // $8 department, $9 jurisdiction, $10 district, $11 tehsil, $12 block, $13 supervisor seat, $14 supervisor.
    public const string CameBack = """
        with back as (
            select returned_from_officer, returned_at from accountability.grievance
            where reference_number = $2 and returned_from_position = $5 and returned_from_officer is not null),
        done as (
            update accountability.grievance set returned_from_position = null, returned_from_officer = null
            where reference_number = $2 and returned_from_position = $5)
        insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, department_id, jurisdiction_id,
                                         district_id, tehsil_id, block_id, recorded_at, supervisor_position_id, supervisor_officer_id, note)
        select $1, 'overturned_return', $2, $3, $4, back.returned_from_officer, $5, 1, $8, $9, $10, $11, $12, $6, $13, $14,
               $7 || ' (returned as not pertaining at ' || to_char(back.returned_at at time zone 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') || ' IST)'
        from back
        on conflict (id) do nothing
        """;
}
