"""The canonical keys of spec sections 2-4, and the paper-form grid drawn from them."""

from reports import schema
from reports.paper_form import grids_for


def test_table3_has_25_rows_in_2021_and_23_in_2019():
    assert len(schema.TABLE3_2021.rows) == 25
    assert len(schema.TABLE3_2019.rows) == 23
    assert schema.OTHER_ONE_ROW in schema.TABLE3_2019.row_keys
    assert not set(schema.OTHER_2021_ROWS) & set(schema.TABLE3_2019.row_keys)


def test_table3_columns_are_the_seven_applicant_columns_in_order():
    assert [c.key for c in schema.TABLE3_COLUMNS] == [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    ]


def test_table2_2021_has_ten_cells_and_fees_are_money():
    cells = [(r.key, c.key) for r in schema.TABLE2_2021.rows for c in r.columns]
    assert len(cells) == 10
    assert schema.TABLE2_2021.row("fees").column("amount").kind is schema.Kind.MONEY


def test_table2_2019_change_is_signed_and_procurement_has_money():
    assert (
        schema.TABLE2_2019.row("licensing").column("change").kind is schema.Kind.SIGNED
    )
    assert (
        schema.TABLE2_2019.row("procurement").column("amount").kind is schema.Kind.MONEY
    )
    assert schema.TABLE2_2019.row("fees").column_keys == ("previous_items", "change")


def test_table4_has_three_blocks_of_five():
    assert schema.TABLE4.row_keys == (
        "review",
        "litigation_direct",
        "litigation_after_review",
    )
    assert all(len(r.columns) == 5 for r in schema.TABLE4.rows)


def test_layout_follows_the_year():
    assert schema.layout_for_year(2019) == "2019"
    assert schema.layout_for_year(2020) == "2019"
    assert schema.layout_for_year(2021) == "2021"
    assert schema.layout_for_year(2025) == "2021"


def test_2021_table3_admits_both_forms_of_other_processing():
    rows = schema.allowed_rows("table3", "2021")
    assert schema.OTHER_ONE_ROW in rows and "other_fee_unpaid" in rows
    assert "other_fee_unpaid" not in schema.allowed_rows("table3", "2019")


def test_cell_label_names_table_row_and_column_in_chinese():
    assert (
        schema.cell_label("table3", "granted", "natural_person")
        == "表三「（一）予以公开」·自然人"
    )
    assert schema.cell_label("table4", "litigation_direct", "total") == (
        "表四「行政诉讼·未经复议直接起诉」·总计"
    )


def test_path_label_names_cells_rows_tables_and_sections():
    assert schema.path_label("table3.new_received.total") == "表三「本年新收」·总计"
    assert schema.path_label("table3.new_received") == "表三「本年新收」"
    assert schema.path_label("table4.review") == "表四「行政复议」"
    assert schema.path_label("table2") == "表二"
    assert schema.path_label("overview") == "一、总体情况"
    # A key of the other layout is still named; an unknown key is shown as it is.
    assert schema.path_label("table2.fees.change", "2021") == (
        "表二「行政事业性收费」·本年增/减"
    )
    assert schema.path_label("publication_date") == "publication_date"
    assert schema.path_label("table3.unknown_row.total") == "表三「unknown_row」·total"


def _inputs(grid):
    return [c.path for c in grid.inputs()]


def test_grid_has_one_input_per_cell_of_each_layout():
    for layout, one_row in (("2021", False), ("2021", True), ("2019", False)):
        tables = schema.tables_for(layout, one_row_other=one_row)
        for grid in grids_for(layout, one_row_other=one_row):
            expected = [
                schema.cell_path(grid.key, r.key, c.key)
                for r in tables[grid.key].rows
                for c in r.columns
            ]
            assert sorted(_inputs(grid)) == sorted(expected), (layout, grid.key)


def test_table3_grid_groups_rows_like_the_paper_form():
    grid = grids_for("2021")[1]
    group_cells = [c for row in grid.body for c in row if c.css == "group"]
    texts = [c.text for c in group_cells]
    assert texts == [
        "三、本年度办理结果",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ]
    results = group_cells[0]
    # 25 rows less 本年新收, 上年结转 and 结转下年度, which sit outside the group.
    assert results.vertical and results.rowspan == 22
    withheld = group_cells[1]
    assert withheld.rowspan == 8


def test_table3_grid_header_has_two_levels_of_applicant_columns():
    header = grids_for("2021")[1].header
    assert [c.text for c in header[0]][1] == "申请人情况"
    assert [c.text for c in header[1]] == ["自然人", "法人或其他组织", "总计"]
    assert [c.text for c in header[2]] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


def test_every_row_of_a_grid_spans_the_same_width():
    for layout in ("2019", "2021"):
        for grid in grids_for(layout):
            widths = set()
            occupied: dict[
                int, int
            ] = {}  # column index -> rows still covered by a rowspan
            for row in grid.header + grid.body:
                width = sum(c.colspan for c in row) + len(occupied)
                widths.add(width)
                occupied = {k: v - 1 for k, v in occupied.items() if v > 1}
                col = 0
                for c in row:
                    while col in occupied:
                        col += 1
                    if c.rowspan > 1:
                        for k in range(col, col + c.colspan):
                            occupied[k] = c.rowspan - 1
                    col += c.colspan
            assert len(widths) == 1, (layout, grid.key, widths)
