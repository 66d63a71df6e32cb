namespace Helpline.Accountability.Facts;

/// <summary>The statements that turn one event into facts; run in order, in the event batch's transaction.</summary>
internal static class FactSql
{
    // $1 id, $2 kind, $3 reference, $4 sequence, $5 at, $6 officer, $7 position, $8 level, $9 supervisor position,
    // $10 supervisor officer, $11 department, $12 jurisdiction, $13 district, $14 tehsil, $15 block, $16 on time,
    // $17 recorded at, $18 note. A breach of a grievance on hold is excused: it counts against nobody. A refused return
    // counts against the officer who asked for it (on record from its request), not whoever holds the seat on paper.
    public const string Insert = """
        insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id,
                                         supervisor_officer_id, department_id, jurisdiction_id, district_id, tehsil_id, block_id, on_time,
                                         recorded_at, note, excused)
        values ($1, $2, $3, $4, $5,
                case when $2 = 'overturned_return'
                     then coalesce((select return_requested_by from accountability.grievance where reference_number = $3), $6) else $6 end,
                $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                case when $2 = 'breach' and (select on_hold from accountability.grievance where reference_number = $3)
                     then 'It was on hold when the due date passed: the clock had stopped.' end)
        on conflict (id) do nothing
        """;

    // $1 reference, $2 on hold.
    public const string Hold = """
        insert into accountability.grievance (reference_number, on_hold) values ($1, $2)
        on conflict (reference_number) do update set on_hold = excluded.on_hold
        """;

    // $1 reference, $2 sequence, $3 officer, $4 position.
    public const string Disposed = """
        insert into accountability.grievance (reference_number, on_hold, disposal_sequence, disposal_officer_id, disposal_position_id)
        values ($1, false, $2, $3, $4)
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

    // $1 reference: the latest breach was at the top of the chain.
    public const string AtTop = """
        update accountability.fact set at_top = true
        where id = (select id from accountability.fact where reference_number = $1 and kind = 'breach' order by sequence desc limit 1)
        """;

    // $1 reference, $2 at, $3 why, $4 only breaches at the top.
    public const string Clear = """
        update accountability.fact set cleared_at = $2, cleared_why = $3
        where reference_number = $1 and kind = 'breach' and cleared_at is null and (not $4 or at_top)
        """;

    // $1 reference, $2 at, $3 sequence: the holding before this event ends (an event delivered again ends nothing of its own).
    public const string EndHolding = "update accountability.holding set to_at = $2 where reference_number = $1 and to_at is null and sequence < $3";

    // $1 reference, $2 sequence, $3 from, $4 officer, $5 position, $6 level, $7 department, $8 jurisdiction,
    // $9 district, $10 tehsil, $11 block, $12 due, $13 on hold.
    public const string StartHolding = """
        insert into accountability.holding (reference_number, sequence, from_at, officer_id, position_id, level, department_id, jurisdiction_id,
                                            district_id, tehsil_id, block_id, due_at, on_hold)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, (select on_hold from accountability.grievance where reference_number = $1), false))
        on conflict do nothing
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
