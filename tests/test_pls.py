"""Tests for csi.weighting.pls: PLS path modelling against R plspm / Python plspm and by hand.

Reference numbers carry their source; see tests/reference/REFERENCES.md. Full-precision values
come from Python plspm 0.5.7 run outside the project (tests/reference/scripts/pls_plspm.py);
the published ECSI numbers of docs/methods.md#reference-checks (R plspm 0.5.1, which Python plspm matches to 1e-15
on unscaled data).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csi.errors import DataError, ModelError
from csi.model import load_model_text
from csi.survey.prepare import DataQuality, Responses
from csi.weighting.pls import OUTCOME_LV, pls_group_weights, pls_path

DATA = Path(__file__).parent / "data"
PREFIX = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat", "LOY": "loy"}
# The ECSI model of Tenenhaus et al. (2005) and Sanchez (2013), as (source, target).
ECSI_PATHS = [("IMAG", "EXPE"), ("EXPE", "QUAL"), ("EXPE", "VAL"), ("QUAL", "VAL"), ("IMAG", "SAT"), ("EXPE", "SAT"),
              ("QUAL", "SAT"), ("VAL", "SAT"), ("IMAG", "LOY"), ("SAT", "LOY")]
# The inner model the csi adapter builds: every dimension points to the outcome.
CSI_PATHS = [("IMAG", "SAT"), ("EXPE", "SAT"), ("QUAL", "SAT"), ("VAL", "SAT")]


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    return pd.read_csv(DATA / "ecsi_satisfaction.csv").drop(columns=["gender"]).astype(float)


def columns(data: pd.DataFrame, lv: str) -> list[str]:
    return [c for c in data.columns if c.startswith(PREFIX[lv])]


def blocks(data: pd.DataFrame, lvs=tuple(PREFIX)) -> dict[str, np.ndarray]:
    return {lv: data[columns(data, lv)].to_numpy() for lv in lvs}


# --------------------------------------------------------------------------- reference values

# Python plspm 0.5.7 (tests/reference/scripts/pls_plspm.py), ECSI model, mode A, unscaled.
ECSI_PATH = {
    "weights": {
        "imag1": 0.09823748374950719, "imag2": 0.15761534702536104, "imag3": 0.15734062699702642,
        "imag4": 0.0765125291238404, "imag5": 0.18370243280116222, "expe1": 0.1064720740482377,
        "expe2": 0.14067345195895484, "expe3": 0.11929675417759121, "expe4": 0.09851109993619209,
        "expe5": 0.13833192433401648, "qual1": 0.10668821123102902, "qual2": 0.134487900474709,
        "qual3": 0.11746823246916255, "qual4": 0.09515265213017589, "qual5": 0.11578938624780052,
        "val1": 0.17217732481064354, "val2": 0.12125452861682498, "val3": 0.12181843947870885,
        "val4": 0.16565457184395582, "sat1": 0.16875617731428635, "sat2": 0.15770489330681692,
        "sat3": 0.1200476920263983, "sat4": 0.1358845894492616, "loy1": 0.15985695569428668,
        "loy2": 0.08035919518467233, "loy3": 0.16254537751815568, "loy4": 0.07862695819358359
    },
    "loadings": {
        "imag1": 0.7095507678941598, "imag2": 0.8776716290245278, "imag3": 0.8423591936820833,
        "imag4": 0.5693540234490576, "imag5": 0.7776627967256055, "expe1": 0.7658459452538587,
        "expe2": 0.8374135033941751, "expe3": 0.7604614179536827, "expe4": 0.7174660745866194,
        "expe5": 0.837165208558369, "qual1": 0.7815157505523426, "qual2": 0.8814492007138631,
        "qual3": 0.7944717695586784, "qual4": 0.7885486382300702, "qual5": 0.8074030424538033,
        "val1": 0.8627156407797814, "val2": 0.7993280994391919, "val3": 0.752589683815716, "val4": 0.8430474710710015,
        "sat1": 0.9202895064340062, "sat2": 0.9135472324517099, "sat3": 0.8247096539471229,
        "sat4": 0.8208869949033081, "loy1": 0.907671852011147, "loy2": 0.6690111767033556, "loy3": 0.9060178639683709,
        "loy4": 0.6788143111081372
    },
    "paths": {
        "IMAG->EXPE": 0.5786523345329219, "EXPE->QUAL": 0.8483362391772675, "EXPE->VAL": 0.1036749673773744,
        "QUAL->VAL": 0.6772793229356251, "IMAG->SAT": 0.20288614184492354, "EXPE->SAT": -0.001251362448187986,
        "QUAL->SAT": 0.12013699065712106, "VAL->SAT": 0.5876932363340214, "IMAG->LOY": 0.27318782651802975,
        "SAT->LOY": 0.4986176810589554
    },
    "r2": {
        "EXPE": 0.3348385242604003, "QUAL": 0.71967437470143, "VAL": 0.5885908817514695, "SAT": 0.7064027816012624,
        "LOY": 0.5118750702388961
    },
    "ave": {
        "IMAG": 0.582452444244642, "EXPE": 0.6163372220656236, "QUAL": 0.6585227164488707, "VAL": 0.6650809895160475,
        "SAT": 0.758875698321923, "LOY": 0.6382753460705946
    },
}

ECSI_CENTROID = {
    "weights": {
        "imag1": 0.09824185017417422, "imag2": 0.15747286381805561, "imag3": 0.15672211819434098,
        "imag4": 0.0765758587028763, "imag5": 0.1843302413587617, "expe1": 0.10623015925113138,
        "expe2": 0.14069312438193632, "expe3": 0.11878316513475588, "expe4": 0.09945148272867584,
        "expe5": 0.13837437865872934, "qual1": 0.10660655325815507, "qual2": 0.13459490325023213,
        "qual3": 0.11714165059250177, "qual4": 0.09561846366386624, "qual5": 0.11570787012908437,
        "val1": 0.17496081005161304, "val2": 0.11766978894578962, "val3": 0.12078895256639999,
        "val4": 0.16652602110191975, "sat1": 0.16636654937414752, "sat2": 0.162659797860461,
        "sat3": 0.12109135914881651, "sat4": 0.13207907681451214, "loy1": 0.1586246258267923,
        "loy2": 0.08172809606947402, "loy3": 0.16166459310815076, "loy4": 0.0806690862675395
    },
    "loadings": {
        "imag1": 0.7093265011660116, "imag2": 0.8773078179838463, "imag3": 0.8417485377060594,
        "imag4": 0.5691934302034677, "imag5": 0.7784668325192801, "expe1": 0.7658005626170795,
        "expe2": 0.8374189975675757, "expe3": 0.7598205713570874, "expe4": 0.7183452499358114,
        "expe5": 0.8372760220477639, "qual1": 0.7814693135160655, "qual2": 0.8815583402145076,
        "qual3": 0.7940761513815237, "qual4": 0.7889819367224856, "qual5": 0.8074465411096359,
        "val1": 0.8648219979979458, "val2": 0.7962389582087401, "val3": 0.7500646746086166,
        "val4": 0.8444830862421656, "sat1": 0.919797990928333, "sat2": 0.9160302397975058, "sat3": 0.8258786178226977,
        "sat4": 0.8175253352274993, "loy1": 0.906587085677551, "loy2": 0.6711013767782004, "loy3": 0.9049736254943515,
        "loy4": 0.6818742383467267
    },
    "paths": {
        "IMAG->EXPE": 0.5789591284527889, "EXPE->QUAL": 0.8483444083795995, "EXPE->VAL": 0.10547764951974703,
        "QUAL->VAL": 0.6766555291059843, "IMAG->SAT": 0.20072420028066518, "EXPE->SAT": -0.0027539945791689043,
        "QUAL->SAT": 0.12214456560910746, "VAL->SAT": 0.5893306500160167, "IMAG->LOY": 0.27514957574846743,
        "SAT->LOY": 0.49547932209081724
    },
    "r2": {
        "EXPE": 0.3351936724188127, "QUAL": 0.7196882352289335, "VAL": 0.5900843727984898, "SAT": 0.7073209495445971,
        "LOY": 0.5099225620500876
    },
}

ECSI_FACTORIAL = {
    "weights": {
        "imag1": 0.09825453758974761, "imag2": 0.15760382935938225, "imag3": 0.15727139916545405,
        "imag4": 0.07660511395210161, "imag5": 0.18371507305285478, "expe1": 0.10645619568103702,
        "expe2": 0.14066660114295726, "expe3": 0.11932366856821827, "expe4": 0.09851832998836732,
        "expe5": 0.13832200478381443, "qual1": 0.10667017044697086, "qual2": 0.13447816719661934,
        "qual3": 0.1174982324093391, "qual4": 0.09514438956961165, "qual5": 0.11579174562889415,
        "val1": 0.17457595790523447, "val2": 0.11824409440181767, "val3": 0.12089850113496697,
        "val4": 0.16637440438213538, "sat1": 0.16655022678054898, "sat2": 0.16260074678273032,
        "sat3": 0.12120240157770902, "sat4": 0.13182463609749792, "loy1": 0.15885248242848532,
        "loy2": 0.0814752201910472, "loy3": 0.16182992160821835, "loy4": 0.08028870895005775
    },
    "loadings": {
        "imag1": 0.709579562555722, "imag2": 0.8776505300331828, "imag3": 0.8423129039839408,
        "imag4": 0.5694500008420376, "imag5": 0.7776705131444951, "expe1": 0.7658299623871828,
        "expe2": 0.8374077357646084, "expe3": 0.7604936327422416, "expe4": 0.7174671729524382,
        "expe5": 0.8371531039274562, "qual1": 0.7814977733636445, "qual2": 0.8814417444896079,
        "qual3": 0.7945042442922748, "qual4": 0.7885350855027297, "qual5": 0.8074012753804188,
        "val1": 0.864544798086426, "val2": 0.796730006569802, "val3": 0.7503985744813976, "val4": 0.8442506460166275,
        "sat1": 0.9198795694849906, "sat2": 0.9160512147625564, "sat3": 0.8259550050837003,
        "sat4": 0.8173257946330645, "loy1": 0.9067893400221687, "loy2": 0.6707159252470689,
        "loy3": 0.9051705010917883, "loy4": 0.6813054770447715
    },
    "paths": {
        "IMAG->EXPE": 0.5786453045319057, "EXPE->QUAL": 0.8483351065812718, "EXPE->VAL": 0.10486494990230455,
        "QUAL->VAL": 0.6770000323224076, "IMAG->SAT": 0.20077165149396853, "EXPE->SAT": -0.002759669404359826,
        "QUAL->SAT": 0.12236049738161225, "VAL->SAT": 0.5891634681334789, "IMAG->LOY": 0.27511396514712116,
        "SAT->LOY": 0.4956598013899011
    },
    "r2": {
        "EXPE": 0.334830388456822, "QUAL": 0.7196724530582579, "VAL": 0.5897783846174199, "SAT": 0.7073624777848875,
        "LOY": 0.5101301573923225
    },
}

ECSI_PATH_SCALED = {
    "weights": {
        "imag1": 0.20582279464232028, "imag2": 0.29742038105284896, "imag3": 0.3080471737397255,
        "imag4": 0.1809983164884034, "imag5": 0.2849769309987725, "expe1": 0.2367803211477625,
        "expe2": 0.2815630975606142, "expe3": 0.22435312636403487, "expe4": 0.259352316003406,
        "expe5": 0.26520867031136125, "qual1": 0.2421427357874672, "qual2": 0.26871700283342537,
        "qual3": 0.2254870754869231, "qual4": 0.245134350215512, "qual5": 0.2465697043816651,
        "val1": 0.3490456446704705, "val2": 0.29353021620179753, "val3": 0.2503438832570522,
        "val4": 0.32501317804492624, "sat1": 0.3217818286087823, "sat2": 0.30775173230680464,
        "sat3": 0.2461211904956325, "sat4": 0.2675211140776374, "loy1": 0.37792587837812763,
        "loy2": 0.24754053340534277, "loy3": 0.3747626964292462, "loy4": 0.21805171056714218
    },
    "loadings": {
        "imag1": 0.7543362076239194, "imag2": 0.8931150507046427, "imag3": 0.8651617060800775,
        "imag4": 0.6348636929795004, "imag5": 0.6937049824867749, "expe1": 0.7881220270591259,
        "expe2": 0.8238158510110911, "expe3": 0.7323742871790909, "expe4": 0.7720358781705673,
        "expe5": 0.8178175932406065, "qual1": 0.7932457855726532, "qual2": 0.8696565486501416,
        "qual3": 0.7642415987788191, "qual4": 0.8223634200844858, "qual5": 0.8124017866942199,
        "val1": 0.8571576765690939, "val2": 0.8335036329882435, "val3": 0.7593250342437479,
        "val4": 0.8186190125436209, "sat1": 0.915121500668064, "sat2": 0.9120523240362873, "sat3": 0.8331000967975104,
        "sat4": 0.8216221010113747, "loy1": 0.8896464156131737, "loy2": 0.7219509531437156, "loy3": 0.882408970679233,
        "loy4": 0.707967423383768
    },
    "paths": {
        "IMAG->EXPE": 0.5596719186610339, "EXPE->QUAL": 0.8455650575092375, "EXPE->VAL": 0.11750874984859343,
        "QUAL->VAL": 0.6600858394705048, "IMAG->SAT": 0.18556036098278847, "EXPE->SAT": 0.008486739947680642,
        "QUAL->SAT": 0.13760455639055216, "VAL->SAT": 0.5800321268109246, "IMAG->LOY": 0.28916940667738256,
        "SAT->LOY": 0.4737318709629317
    },
    "r2": {
        "EXPE": 0.3132326565377235, "QUAL": 0.7149802664806003, "VAL": 0.5806955865290955, "SAT": 0.702274610611363,
        "LOY": 0.4936393212826157
    },
}

CSI_MODEL = {
    "weights": {
        "imag1": 0.009568778739303901, "imag2": 0.015843157400661292, "imag3": 0.016458359693940612,
        "imag4": 0.007511197802639504, "imag5": 0.017913731072617824, "expe1": 0.010892725416833438,
        "expe2": 0.014176343364879503, "expe3": 0.01128108576326791, "expe4": 0.010245794925879327,
        "expe5": 0.013870178308334221, "qual1": 0.010664606172804576, "qual2": 0.013607945029794677,
        "qual3": 0.01114588884897099, "qual4": 0.010115230142414744, "qual5": 0.011546225913020857,
        "val1": 0.016990089171173554, "val2": 0.012854695319326558, "val3": 0.012081997075075056,
        "val4": 0.016311927970039435, "sat1": 0.016780470099938508, "sat2": 0.016368757673422583,
        "sat3": 0.012274918994791193, "sat4": 0.01276304354552839
    },
    "loadings": {
        "imag1": 0.708583895120199, "imag2": 0.8803162052941047, "imag3": 0.848398250647755,
        "imag4": 0.569020440210673, "imag5": 0.7720093172430289, "expe1": 0.769239238365394,
        "expe2": 0.8381448065558715, "expe3": 0.7525568275406849, "expe4": 0.7221556722771328,
        "expe5": 0.83828140623097, "qual1": 0.7817815640887548, "qual2": 0.8829391517336991,
        "qual3": 0.7873289717399599, "qual4": 0.7945899819396754, "qual5": 0.8087355025938172,
        "val1": 0.8616109270117611, "val2": 0.8052608458406363, "val3": 0.7536539920175187,
        "val4": 0.8397509756475275, "sat1": 0.9206182921569558, "sat2": 0.9171413966713192,
        "sat3": 0.8271526608952948, "sat4": 0.8138831124133545
    },
    "paths": {
        "IMAG->SAT": 0.20059764079320008, "EXPE->SAT": -0.0009492895175507283, "QUAL->SAT": 0.12498758218723231,
        "VAL->SAT": 0.5866843622660005
    },
    "r2": {
        "SAT": 0.7088208003969982
    },
}

# Python plspm 0.5.7: the first three respondents' LV scores, ECSI model, path scheme, unscaled.
ECSI_PATH_SCORES_FIRST_3 = {
    "IMAG": [-0.06337953310153532, 0.8395664739668831, 0.4744597766247911],
    "EXPE": [0.3434897161800104, 0.7993000351090116, 0.5527455526417835],
    "QUAL": [-0.5267554140580348, 0.3969145121236919, 0.1636568934067288],
    "VAL": [-0.06439192640244057, 0.44022236381988233, 0.5614768924367074],
    "SAT": [-0.2065273415329106, 0.37108039714845864, 0.8334260572188236],
    "LOY": [0.1691083501590749, 0.4915960658882667, 0.8122661621096203],
}


def assert_matches(result, ref: dict, data: pd.DataFrame, lvs, paths) -> None:
    """Every outer weight, loading, path coefficient and R² within 1e-6 of the reference."""
    for lv in lvs:
        cols = columns(data, lv)
        assert result.outer_weights[lv] == pytest.approx([ref["weights"][c] for c in cols], abs=1e-6), lv
        assert result.loadings[lv] == pytest.approx([ref["loadings"][c] for c in cols], abs=1e-6), lv
    for source, target in paths:
        assert result.path(source, target) == pytest.approx(ref["paths"][f"{source}->{target}"], abs=1e-6)
    assert result.r2 == pytest.approx(ref["r2"], abs=1e-6)


# --------------------------------------------------------------------------- published (docs/methods.md#weights-pls)


def test_ecsi_published_values(ecsi):
    r = pls_path(blocks(ecsi), ECSI_PATHS)
    # docs/methods.md#weights-pls (R plspm 0.5.1, path scheme, scaled = FALSE): SAT outer weights, VAL -> SAT, R²(SAT).
    assert r.outer_weights["SAT"] == pytest.approx((0.168756, 0.157705, 0.120048, 0.135885), abs=5e-7)
    assert r.path("VAL", "SAT") == pytest.approx(0.587693, abs=5e-7)
    assert r.r2["SAT"] == pytest.approx(0.706403, abs=5e-7)
    assert r.converged and r.scheme == "path" and not r.scaled and r.n == 250


def test_ecsi_sat_index(ecsi):
    """ACSI index of SAT on 0–100: Σ (w/Σw) · mean(x), items 0–10 → × 10 (Fornell et al. 1996)."""
    r = pls_path(blocks(ecsi), ECSI_PATHS)
    w = np.array(r.normalised_weights["SAT"])
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert float(w @ ecsi[columns(ecsi, "SAT")].mean().to_numpy()) * 10 == pytest.approx(68.587269, abs=5e-7)  # docs/methods.md#weights-pls
    assert float(w @ ecsi[columns(ecsi, "SAT")].mean().to_numpy()) * 10 == pytest.approx(68.58726876755102, abs=1e-6)  # plspm


# --------------------------------------------------------------------------- Python plspm 0.5.7


@pytest.mark.parametrize(("scheme", "ref"), [("path", ECSI_PATH), ("centroid", ECSI_CENTROID), ("factorial", ECSI_FACTORIAL)])
def test_ecsi_schemes_against_plspm(ecsi, scheme, ref):
    r = pls_path(blocks(ecsi), ECSI_PATHS, scheme=scheme)
    assert r.converged
    assert_matches(r, ref, ecsi, PREFIX, ECSI_PATHS)


def test_ecsi_scaled_against_plspm(ecsi):
    """scaled=True standardises each item (divisor n), as R plspm's scaled = TRUE."""
    r = pls_path(blocks(ecsi), ECSI_PATHS, scaled=True)
    assert r.scaled
    assert_matches(r, ECSI_PATH_SCALED, ecsi, PREFIX, ECSI_PATHS)
    # The CSI weights are on the items as given: the standardised weights divided by each
    # item's SD, then normalised -- not the same weights as the unscaled model's.
    sd = ecsi[columns(ecsi, "SAT")].std(ddof=0).to_numpy()
    raw = np.array([ECSI_PATH_SCALED["weights"][c] for c in columns(ecsi, "SAT")]) / sd
    assert r.normalised_weights["SAT"] == pytest.approx(raw / raw.sum(), abs=1e-6)
    unscaled = pls_path(blocks(ecsi), ECSI_PATHS)
    assert np.max(np.abs(np.subtract(r.normalised_weights["SAT"], unscaled.normalised_weights["SAT"]))) > 1e-4


def test_ecsi_ave_scores_and_reliability(ecsi):
    r = pls_path(blocks(ecsi), ECSI_PATHS)
    assert r.ave == pytest.approx(ECSI_PATH["ave"], abs=1e-6)
    for j, lv in enumerate(PREFIX):
        assert r.scores[:3, j] == pytest.approx(ECSI_PATH_SCORES_FIRST_3[lv], abs=1e-6)
        # Composite reliability from plspm's loadings and the formula of docs/methods.md#composite-reliability.
        lam = np.array([ECSI_PATH["loadings"][c] for c in columns(ecsi, lv)])
        rho = lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2))
        assert r.composite_reliability[lv] == pytest.approx(rho, abs=1e-6)
    assert r.scores.mean(axis=0) == pytest.approx(np.zeros(6), abs=1e-12)
    assert r.scores.std(axis=0) == pytest.approx(np.ones(6), abs=1e-12)  # divisor n, as plspm


def test_csi_inner_model_on_0_100_items(ecsi):
    r = pls_path(blocks(ecsi * 10, ("IMAG", "EXPE", "QUAL", "VAL", "SAT")), CSI_PATHS)
    assert_matches(r, CSI_MODEL, ecsi, ("IMAG", "EXPE", "QUAL", "VAL", "SAT"), CSI_PATHS)


# --------------------------------------------------------------------------- by hand and algebra


def test_symmetric_example_by_hand():
    """Four respondents from orthogonal patterns t, e, g (see the pls_path docstring).

    Block A = (t + e, t − e) + 3, block B = (t + e + g, t − e + g) + 3. Symmetry under e → −e
    makes the weights within each block equal, so Y_A ∝ t and Y_B ∝ t + g: the path is
    cor(t, t + g) = 1/√2, R² = 1/2, loadings 1/√2 (A) and 2/√6 (B), composite reliability of A
    (√2)²/((√2)² + 1) = 2/3, AVE of B 2/3.
    """
    a = np.array([[5, 3], [3, 5], [3, 1], [1, 3]], float)
    b = np.array([[6, 4], [2, 4], [2, 0], [2, 4]], float)
    r = pls_path([a, b], [[0, 0], [1, 0]], names=("A", "B"))
    assert r.path("A", "B") == pytest.approx(2**-0.5, abs=1e-12)
    assert r.r2 == pytest.approx({"B": 0.5}, abs=1e-12)
    assert r.loadings["A"] == pytest.approx((2**-0.5, 2**-0.5), abs=1e-12)
    assert r.loadings["B"] == pytest.approx((2 / 6**0.5, 2 / 6**0.5), abs=1e-12)
    assert r.composite_reliability["A"] == pytest.approx(2 / 3, abs=1e-12)
    assert r.ave["B"] == pytest.approx(2 / 3, abs=1e-12)


def test_matrix_and_pairs_give_the_same_model(ecsi):
    order = list(PREFIX)
    p = np.zeros((6, 6))
    for s, t in ECSI_PATHS:
        p[order.index(t), order.index(s)] = 1
    by_pairs = pls_path(blocks(ecsi), ECSI_PATHS)
    by_matrix = pls_path(list(blocks(ecsi).values()), p, names=order)
    by_index = pls_path(blocks(ecsi), [(order.index(s), order.index(t)) for s, t in ECSI_PATHS])
    for other in (by_matrix, by_index):
        assert np.array_equal(other.paths, by_pairs.paths)
        assert other.outer_weights == by_pairs.outer_weights


def test_convergence_is_reported_not_claimed(ecsi):
    stopped = pls_path(blocks(ecsi), ECSI_PATHS, max_iter=2)
    assert (stopped.converged, stopped.iterations) == (False, 2)
    full = pls_path(blocks(ecsi), ECSI_PATHS)
    assert full.converged and full.iterations > 2
    assert full.tol == 1e-6 and full.max_iter == 300


def test_frequency_weights_equal_repeated_rows(ecsi):
    reps = 1 + np.arange(len(ecsi)) % 3
    weighted = pls_path(blocks(ecsi), ECSI_PATHS, weights=reps)
    repeated = pls_path(blocks(ecsi.loc[ecsi.index.repeat(reps)]), ECSI_PATHS)
    for lv in PREFIX:
        assert weighted.outer_weights[lv] == pytest.approx(repeated.outer_weights[lv], abs=1e-12)
        assert weighted.loadings[lv] == pytest.approx(repeated.loadings[lv], abs=1e-12)
    assert weighted.paths == pytest.approx(repeated.paths, abs=1e-12)
    assert weighted.iterations == repeated.iterations


def test_turned_block_keeps_positive_loadings(ecsi):
    """A block measured the other way round: the LV is turned over, so loadings stay positive
    and the path to it changes sign; its normalised weights are unchanged."""
    turned = ecsi.copy()
    turned[columns(ecsi, "VAL")] = 10 - turned[columns(ecsi, "VAL")]
    r = pls_path(blocks(turned), ECSI_PATHS)
    base = pls_path(blocks(ecsi), ECSI_PATHS)
    assert min(r.loadings["VAL"]) > 0
    assert r.path("VAL", "SAT") == pytest.approx(-base.path("VAL", "SAT"), abs=1e-9)
    assert r.normalised_weights["VAL"] == pytest.approx(base.normalised_weights["VAL"], abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_changes_nothing(rnd):
    data = pd.read_csv(DATA / "ecsi_satisfaction.csv").drop(columns=["gender"]).astype(float)
    order = list(range(len(data)))
    rnd.shuffle(order)
    a = pls_path(blocks(data), ECSI_PATHS)
    b = pls_path(blocks(data.iloc[order]), ECSI_PATHS)
    assert b.paths == pytest.approx(a.paths, abs=1e-9)
    assert b.normalised_weights["SAT"] == pytest.approx(a.normalised_weights["SAT"], abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"paths": [("SAT", "IMAG")]}, "recursive"),
        ({"paths": [("IMAG", "EXPE")]}, "no path"),
        ({"paths": [("IMAG", "NOPE")]}, "unknown latent variable"),
        ({"scheme": "mode_b"}, "scheme"),
    ],
)
def test_invalid_models(ecsi, kwargs, message):
    args = {"blocks": blocks(ecsi, ("IMAG", "EXPE", "SAT")), "paths": [("IMAG", "SAT"), ("EXPE", "SAT")], **kwargs}
    with pytest.raises(ValueError, match=message):
        pls_path(**args)


def test_invalid_data(ecsi):
    b = blocks(ecsi, ("IMAG", "SAT"))
    holed = dict(b, SAT=np.where(np.arange(250)[:, None] == 3, np.nan, b["SAT"]))
    with pytest.raises(ValueError, match="complete"):
        pls_path(holed, [("IMAG", "SAT")])
    flat = dict(b, SAT=np.column_stack([b["SAT"], np.full(250, 7.0)]))
    with pytest.raises(ValueError, match="item 4 of block SAT has the same value"):
        pls_path(flat, [("IMAG", "SAT")])
    with pytest.raises(ValueError, match="same n"):
        pls_path({"IMAG": b["IMAG"], "SAT": b["SAT"][:10]}, [("IMAG", "SAT")])


def test_fifty_thousand_respondents_converge():
    """50 000 respondents × 6 blocks of 4–5 items (27 items) fit and converge; how fast is
    measured in benchmarks/bench_pls.py, not asserted here."""
    rng = np.random.default_rng(7)
    n, sizes = 50_000, (4, 5, 4, 5, 4, 5)
    lv = rng.normal(size=(n, 6))
    lv[:, 5] = lv[:, :5] @ np.array([0.3, 0.2, 0.2, 0.1, 0.1]) + 0.5 * lv[:, 5]
    data = {f"D{i}": np.clip(np.round(50 + 15 * (lv[:, [i]] + 0.7 * rng.normal(size=(n, k)))), 0, 100) for i, k in enumerate(sizes)}
    r = pls_path(data, [(f"D{i}", "D5") for i in range(5)])
    assert r.converged and r.n == n
    assert all(0 < r.path(f"D{i}", "D5") for i in range(5)) and 0 < r.r2["D5"] < 1


# --------------------------------------------------------------------------- the registry adapter

ECSI_MODEL = """
name: ecsi
scale: {min: 0, max: 10}
outcome:
  name: satisfaction
  items: [{id: sat1, column: sat1}, {id: sat2, column: sat2}, {id: sat3, column: sat3}, {id: sat4, column: sat4}]
children:
  - {id: imag, children: [{id: imag1, column: imag1}, {id: imag2, column: imag2}, {id: imag3, column: imag3},
                          {id: imag4, column: imag4}, {id: imag5, column: imag5}]}
  - {id: expe, children: [{id: expe1, column: expe1}, {id: expe2, column: expe2}, {id: expe3, column: expe3},
                          {id: expe4, column: expe4}, {id: expe5, column: expe5}]}
  - {id: qual, children: [{id: qual1, column: qual1}, {id: qual2, column: qual2}, {id: qual3, column: qual3},
                          {id: qual4, column: qual4}, {id: qual5, column: qual5}]}
  - {id: val, children: [{id: val1, column: val1}, {id: val2, column: val2}, {id: val3, column: val3}, {id: val4, column: val4}]}
"""
# imag's five items split into two sub-groups: the adapter fits imag on its items flattened.
NESTED_MODEL = ECSI_MODEL.replace(
    """  - {id: imag, children: [{id: imag1, column: imag1}, {id: imag2, column: imag2}, {id: imag3, column: imag3},
                          {id: imag4, column: imag4}, {id: imag5, column: imag5}]}""",
    """  - {id: imag, children: [{id: imag_a, children: [{id: imag1, column: imag1}, {id: imag2, column: imag2}]},
                          {id: imag_b, children: [{id: imag3, column: imag3}, {id: imag4, column: imag4},
                                                  {id: imag5, column: imag5}]}]}""")


# On these data EXPE -> SAT is slightly negative (-0.00095, Python plspm): the adapter refuses
# that by default and clips it to 0 with allow_negative.
ALLOW = {"allow_negative": True}


def survey(model, data: pd.DataFrame, weights=None) -> Responses:
    """Responses on 0–100 (items 0–10 × 10), columns in the order of model.all_items."""
    ids = tuple(item.id for item in model.all_items)
    values = data[list(ids)].to_numpy(dtype=float) * 10
    q = DataQuality(len(values), len(values), {}, {})
    return Responses(values, ids, ids, np.arange(2, len(values) + 2), q, weights)


def test_adapter_matches_plspm(ecsi):
    model = load_model_text(ECSI_MODEL)
    gw = pls_group_weights(model.root, survey(model, ecsi), model, options=ALLOW)
    d = gw.details
    assert (gw.group, gw.method, d["n"], d["scheme"], d["scaled"], d["converged"]) == ("overall", "pls", 250, "path", False, True)
    for item in model.all_items:
        assert d["outer_weights"][item.id] == pytest.approx(CSI_MODEL["weights"][item.id], abs=1e-6)
        assert d["loadings"][item.id] == pytest.approx(CSI_MODEL["loadings"][item.id], abs=1e-6)
    paths = np.array([CSI_MODEL["paths"][f"{lv}->SAT"] for lv in ("IMAG", "EXPE", "QUAL", "VAL")])
    assert list(d["paths"].values()) == pytest.approx(paths, abs=1e-6)
    clipped = np.clip(paths, 0, None)
    assert gw.weights == pytest.approx(clipped / clipped.sum(), abs=1e-6)
    assert gw.weights[1] == 0.0
    assert d["r2"] == pytest.approx(CSI_MODEL["r2"]["SAT"], abs=1e-6)
    for dim in model.root.children:
        w = np.array([CSI_MODEL["weights"][c.id] for c in dim.children])
        assert d["group_weights"][dim.id] == pytest.approx(w / w.sum(), abs=1e-6)
    assert set(d["composite_reliability"]) == {"imag", "expe", "qual", "val", OUTCOME_LV}
    assert len(d["warnings"]) == 1 and "path coefficient of expe" in d["warnings"][0]
    assert d["flattened"] == []


def test_adapter_flattens_nested_dimension(ecsi):
    """imag = {imag_a: imag1–2, imag_b: imag3–5} is fitted as one block of five items; each
    sub-group's weight is the sum of its items' normalised weights, so every item's global
    weight is its PLS weight."""
    flat_model = load_model_text(ECSI_MODEL)
    model = load_model_text(NESTED_MODEL)
    flat = pls_group_weights(flat_model.root, survey(flat_model, ecsi), flat_model, options=ALLOW)
    nested = pls_group_weights(model.root, survey(model, ecsi), model, options=ALLOW)
    assert nested.weights == pytest.approx(flat.weights, abs=1e-12)
    u = np.array(flat.details["group_weights"]["imag"])
    gw = nested.details["group_weights"]
    assert gw["imag"] == pytest.approx((u[:2].sum(), u[2:].sum()), abs=1e-12)
    assert gw["imag_a"] == pytest.approx(u[:2] / u[:2].sum(), abs=1e-12)
    assert gw["imag_b"] == pytest.approx(u[2:] / u[2:].sum(), abs=1e-12)
    assert nested.details["flattened"] == ["imag"]


def test_adapter_negative_path_is_an_error_unless_allowed(ecsi):
    model = load_model_text(ECSI_MODEL)
    with pytest.raises(ModelError) as e:
        pls_group_weights(model.root, survey(model, ecsi), model)
    assert [(i.code, i.path) for i in e.value.issues] == [("negative-weight", "(top level)")]
    assert "path coefficient of expe is negative (-0.000949" in str(e.value)
    # A dimension measured the other way round gets a clearly negative path as well.
    turned = ecsi.copy()
    turned[["val1", "val2", "val3", "val4"]] = 10 - turned[["val1", "val2", "val3", "val4"]]
    with pytest.raises(ModelError) as e:
        pls_group_weights(model.root, survey(model, turned), model)
    assert sorted("of val is" in str(i) or "of expe is" in str(i) for i in e.value.issues) == [True, True]
    gw = pls_group_weights(model.root, survey(model, turned), model, options=ALLOW)
    assert gw.weights[3] == 0.0 and sum(gw.weights) == pytest.approx(1.0)
    assert gw.details["paths"]["val"] < 0


def test_adapter_guards(ecsi):
    model = load_model_text(ECSI_MODEL)
    responses = survey(model, ecsi)
    with pytest.raises(ModelError) as e:
        pls_group_weights(model.root.children[0], responses, model)
    assert e.value.codes == ["pls-root-only"]
    no_outcome = load_model_text(ECSI_MODEL.split("outcome:")[0] + "children:" + ECSI_MODEL.split("children:", 1)[1])
    with pytest.raises(ModelError) as e:
        pls_group_weights(no_outcome.root, survey(no_outcome, ecsi), no_outcome)
    assert e.value.codes == ["pls-needs-outcome"]
    with pytest.raises(ModelError) as e:
        pls_group_weights(model.root, responses, model, options={"scheme": "mode_b"})
    assert e.value.codes == ["bad-option"]
    with pytest.raises(DataError) as e:
        pls_group_weights(model.root, survey(model, ecsi.head(4)), model)
    assert e.value.codes == ["too-few-respondents"]


def test_adapter_missing_data_policies(ecsi):
    model = load_model_text(ECSI_MODEL)
    holed = ecsi.copy()
    holed.loc[[0, 5, 9], "qual2"] = np.nan
    listwise = pls_group_weights(model.root, survey(model, holed), model, options=ALLOW)
    mean = pls_group_weights(model.root, survey(model, holed), model, options={"policy": "mean", **ALLOW})
    assert (listwise.details["n"], mean.details["n"]) == (247, 250)
    dropped = pls_group_weights(model.root, survey(model, holed.drop(index=[0, 5, 9])), model, options=ALLOW)
    assert listwise.weights == pytest.approx(dropped.weights, abs=1e-12)
    imputed = holed.fillna({"qual2": holed["qual2"].mean()})
    assert mean.weights == pytest.approx(pls_group_weights(model.root, survey(model, imputed), model, options=ALLOW).weights,
                                         abs=1e-12)


def test_adapter_data_errors(ecsi):
    model = load_model_text(ECSI_MODEL)
    flat = ecsi.assign(qual3=7.0)
    with pytest.raises(DataError) as e:
        pls_group_weights(model.root, survey(model, flat), model, options=ALLOW)
    assert e.value.codes == ["pls-constant-item"] and "qual3" in str(e.value)
    empty = ecsi.assign(val2=np.nan)
    for policy in ("listwise", "mean"):
        with pytest.raises(DataError) as e:
            pls_group_weights(model.root, survey(model, empty), model, options={"policy": policy, **ALLOW})
        assert e.value.codes == ["no-answers"] and "val2" in str(e.value)
    twins = ecsi.copy()
    twins[columns(ecsi, "QUAL")[:4]] = twins[columns(ecsi, "EXPE")[:4]].to_numpy()
    twins["qual5"] = twins["expe5"]
    with pytest.raises(DataError) as e:
        pls_group_weights(model.root, survey(model, twins), model, options=ALLOW)
    assert e.value.codes == ["pls-failed"] and "collinear" in str(e.value)


def test_adapter_uses_respondent_weights(ecsi):
    model = load_model_text(ECSI_MODEL)
    reps = 1 + np.arange(len(ecsi)) % 3
    weighted = pls_group_weights(model.root, survey(model, ecsi, weights=reps.astype(float)), model, options=ALLOW)
    repeated = pls_group_weights(model.root, survey(model, ecsi.loc[ecsi.index.repeat(reps)]), model, options=ALLOW)
    assert weighted.weights == pytest.approx(repeated.weights, abs=1e-12)
    assert weighted.details["respondent_weights"] == "used"
    # Only relative weights matter: weights summing to 1 give the same model.
    share = pls_group_weights(model.root, survey(model, ecsi, weights=reps / reps.sum()), model, options=ALLOW)
    assert share.weights == pytest.approx(weighted.weights, abs=1e-12)


def test_outcome_index_uses_the_outcome_blocks_outer_weights(ecsi):
    """ACSI index (Fornell et al. 1996): Σ w̃ᵢ x̄ᵢ with w̃ the SAT block's outer weights
    normalised to sum 1 — here the weights Python plspm gives for the adapter's inner model
    (CSI_MODEL), on the 0–100 items. Through the whole engine (score), not the adapter alone."""
    from csi.scoring import ScoreOptions, score

    model = load_model_text(ECSI_MODEL.replace("name: ecsi", "name: ecsi\nmethod: pls\noptions: {allow_negative: true}"))
    r = score(model, survey(model, ecsi), ScoreOptions(bootstrap=0))
    w = np.array([CSI_MODEL["weights"][f"sat{i}"] for i in range(1, 5)])
    means = ecsi[[f"sat{i}" for i in range(1, 5)]].mean().to_numpy() * 10
    assert r.outcome is not None
    assert r.outcome.score == pytest.approx(float(w / w.sum() @ means), abs=1e-6)
