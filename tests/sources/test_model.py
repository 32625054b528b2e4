"""What the model derives once for every renderer: symbols, arrows, totals, lampiran numbers."""

from __future__ import annotations

from conftest import BASE_SOP, office_tree, replace_line

from sopdoc.sources.loader import load_project
from sopdoc.model import Edge, Symbol


def only_sop(sources):
    project, diagnostics = load_project([sources])
    assert [d for d in diagnostics if d.is_error] == []
    (sop,) = project.sops
    return sop


def sop_text(steps: str) -> str:
    head = BASE_SOP.split("langkah:\n")[0]
    return head + "langkah:\n" + steps


def step(uraian, actor="petugas", waktu=None, extra=""):
    text = f"  - uraian: {uraian}\n    pelaksana: {actor}\n    output: Hasil\n"
    if waktu:
        text += f"    waktu: {waktu}\n"
    return text + extra


def test_base_sop_symbols_edges_and_total(tmp_path):
    sop = only_sop(office_tree(tmp_path))
    assert [s.symbol for s in sop.langkah] == [Symbol.TERMINATOR, Symbol.DECISION, Symbol.TERMINATOR]
    assert sop.langkah[0].edges == (Edge(2),)
    assert sop.langkah[1].edges == (Edge(3, "Ya"), Edge(1, "Tidak"))
    assert sop.langkah[2].edges == ()
    # the loop back to step 1 is ignored: 5 + 10 + 5 minutes
    assert str(sop.total_waktu) == "20 menit"
    assert sop.lampiran.nomor == "I" and not sop.lampiran.explicit
    assert sop.disahkan_oleh.nip_grouped == "19790709 199810 1 002"
    assert sop.layanan.produk == "Surat"


def test_total_follows_the_longest_branch(tmp_path):
    steps = (
        step("Mulai", "pemohon", "5 menit")
        + step("Apakah perlu kajian?", waktu="10 menit", extra="    keputusan:\n      ya: 3\n      tidak: 4\n")
        + step("Kajian", waktu="2 hari kerja", extra="    lanjut: 4\n")
        + step("Selesai", "pemohon", "1 jam")
    )
    sop = only_sop(office_tree(tmp_path, sop=sop_text(steps)))
    assert str(sop.total_waktu) == "2 hari kerja 1 jam 15 menit"
    assert sop.langkah[2].symbol is Symbol.PROCESS


def test_selesai_branch_ends_beside_the_decision(tmp_path):
    steps = (
        step("Mulai", "pemohon", "5 menit")
        + step("Apakah ditolak?", waktu="10 menit", extra="    keputusan:\n      ya: selesai\n")
        + step("Proses", waktu="1 jam")
        + step("Serahkan", "pemohon", "5 menit")
    )
    sop = only_sop(office_tree(tmp_path, sop=sop_text(steps)))
    decision = sop.langkah[1]
    assert decision.edges == (Edge(None, "Ya"), Edge(3, "Tidak"))
    assert decision.edges[0].ends
    assert str(sop.total_waktu) == "1 jam 20 menit"


def test_selesai_step_is_an_end_terminator(tmp_path):
    steps = (
        step("Mulai", "pemohon", "5 menit")
        + step("Apakah lengkap?", extra="    keputusan:\n      tidak: 4\n")
        + step("Tolak", waktu="3 menit", extra="    selesai: true\n")
        + step("Proses", waktu="1 jam")
    )
    sop = only_sop(office_tree(tmp_path, sop=sop_text(steps)))
    assert sop.langkah[2].symbol is Symbol.TERMINATOR and sop.langkah[2].is_end
    assert sop.langkah[3].symbol is Symbol.TERMINATOR


def test_lampiran_numbers_fill_gaps_in_sop_number_order(tmp_path):
    explicit = replace_line(BASE_SOP, 4, "  keputusan: sop-2024", "  nomor: I")
    later = BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/10/2024")
    earlier = BASE_SOP.replace("KEC/UJI/1/2024", "KEC/UJI/2/2024")
    sources = office_tree(tmp_path, sop=explicit, a_later=later, z_earlier=earlier)
    project, diagnostics = load_project([sources])
    numerals = {sop.nomor: sop.lampiran.nomor for sop in project.sops}
    assert numerals == {"KEC/UJI/1/2024": "I", "KEC/UJI/2/2024": "II", "KEC/UJI/10/2024": "III"}


def test_persyaratan_defaults_to_first_step_kelengkapan(tmp_path):
    text = BASE_SOP.replace("    output: Berkas\n", "    output: Berkas\n    kelengkapan: [KTP asli, KK asli]\n", 1)
    sop = only_sop(office_tree(tmp_path, sop=text))
    assert sop.layanan.persyaratan == ("KTP asli", "KK asli")
    assert sop.layanan.biaya is None  # never invented


def test_text_is_kept_literally(tmp_path):
    text = BASE_SOP.replace("nama: Layanan Uji", "nama: '<b>{{ x }}</b> \"\\n'")
    sop = only_sop(office_tree(tmp_path, sop=text))
    assert sop.nama == '<b>{{ x }}</b> "\\n'


def test_numbers_and_leading_zeros_in_text_fields_are_kept_as_written(tmp_path):
    sources = office_tree(tmp_path, sop=BASE_SOP.replace("nomor: KEC/UJI/1/2024", "nomor: 007"))
    sop = only_sop(sources)
    assert sop.nomor == "007"
