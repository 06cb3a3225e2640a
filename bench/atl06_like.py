#!/usr/bin/env python3
"""Write an ICESat-2 ATL06-like granule, the shape of the files the seed's
cloud experiment reads: six ground tracks (gt1l ... gt3r), each with
land_ice_segments/{h_li, latitude, longitude, ...} 1-D, chunks of 10000
elements, gzip 6 + shuffle, subgroups of more 1-D variables, and the
hundreds of small metadata datasets and attributes a real granule carries
(ancillary_data, METADATA, orbit_info), so that opening a file and finding
a variable costs the metadata reads it costs on a real one.

    atl06_like.py OUT.h5 [--segments N] [--seed S]

N segments a beam (default 150000: about 75 MB); the values are a
deterministic function of the seed: latitudes along a track, heights a
smooth function of the distance plus noise (gzip compresses them somewhat).
"""
import argparse
import sys

import h5py
import numpy as np

BEAMS = ["gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"]
CHUNK = 10000  # ATL06's own chunk of its 1-D variables
FILL = {np.dtype("f4"): np.float32(3.4028235e38), np.dtype("f8"): np.float64(1.7976931348623157e308)}


def attrs(obj, units, long_name, source="ATL06", extra=None):
    obj.attrs["units"] = units
    obj.attrs["long_name"] = long_name
    obj.attrs["source"] = source
    obj.attrs["contentType"] = "modelResult"
    obj.attrs["description"] = f"{long_name} (synthetic, made by chunkbench's atl06_like.py)"
    for k, v in (extra or {}).items():
        obj.attrs[k] = v


def var(grp, name, data, units, long_name, coords=True):
    """A 1-D variable as ATL06 stores it: chunked, gzip 6 + shuffle, _FillValue."""
    n = data.shape[0]
    kw = dict(chunks=(min(CHUNK, n),), compression="gzip", compression_opts=6, shuffle=True)
    if data.dtype in FILL:
        kw["fillvalue"] = FILL[data.dtype]
    d = grp.create_dataset(name, data=data, **kw)
    extra = {"coordinates": "delta_time latitude longitude"} if coords else {}
    if data.dtype in FILL:
        extra["_FillValue"] = FILL[data.dtype]
    attrs(d, units, long_name, extra=extra)
    return d


def beam(f, b, k, n, rng):
    g = f.create_group(b)
    g.attrs["atlas_beam_type"] = np.bytes_("strong" if b.endswith("l") else "weak")
    g.attrs["atlas_pce"] = np.bytes_(f"pce{k // 2 + 1}")
    g.attrs["atlas_spot_number"] = np.bytes_(str(k + 1))
    g.attrs["groundtrack_id"] = np.bytes_(b)
    g.attrs["sc_orientation"] = np.bytes_("forward")
    lis = g.create_group("land_ice_segments")
    attrs(lis, "1", "Land Ice Segments")
    s = np.arange(n, dtype=np.float64)
    # A track from 60 S towards the pole: 20 m segments, a small offset a beam.
    lat = -60.0 - s * (20.0 / 111000.0) - 0.001 * k
    lon = 45.0 + 3.0 * np.sin(s / 2.0e5 + k) + 0.0005 * k
    x = s / n
    h = (1500.0 + 1200.0 * np.sin(3.0 * x + k) + 80.0 * np.sin(40.0 * x) + rng.normal(0.0, 0.5, n)).astype(np.float32)
    h[rng.random(n) < 0.01] = FILL[np.dtype("f4")]  # gaps, as over crevasses
    t0 = 4.0e7 + 3600.0 * k
    var(lis, "h_li", h, "meters", "Land Ice height")
    var(lis, "latitude", lat, "degrees_north", "Latitude")
    var(lis, "longitude", lon, "degrees_east", "Longitude")
    var(lis, "atl06_quality_summary", (rng.random(n) < 0.05).astype(np.int8), "1", "ATL06_Quality_Summary")
    var(lis, "delta_time", t0 + s * 0.0028, "seconds since 2018-01-01", "Elapsed GPS seconds", coords=False)
    var(lis, "h_li_sigma", np.abs(rng.normal(0.05, 0.02, n)).astype(np.float32), "meters", "Expected RMS segment misfit")
    var(lis, "segment_id", (1000000 + s * 2).astype(np.int32), "1", "Reference Point, m")
    var(lis, "sigma_geo_h", np.abs(rng.normal(0.1, 0.01, n)).astype(np.float32), "meters", "Height Error")
    sub = {
        "fit_statistics": ["dh_fit_dx", "dh_fit_dy", "h_mean", "h_rms_misfit", "h_robust_sprd", "n_fit_photons",
                           "signal_selection_source", "snr", "w_surface_window_final"],
        "geophysical": ["bckgrd", "dac", "r_eff", "solar_azimuth", "solar_elevation", "tide_earth", "tide_ocean"],
        "ground_track": ["ref_azimuth", "ref_coelv", "seg_azimuth", "sigma_geo_at", "sigma_geo_xt", "x_atc", "y_atc"],
        "bias_correction": ["fpb_mean_corr", "fpb_n_corr", "med_r_fit", "tx_mean_corr"],
        "dem": ["dem_flag", "dem_h", "geoid_free2mean", "geoid_h"],
    }
    for sg, names in sub.items():
        gg = lis.create_group(sg)
        attrs(gg, "1", sg.replace("_", " "))
        for j, nm in enumerate(names):
            if nm.startswith("n_") or nm.endswith("_flag") or nm.endswith("_source"):
                d = rng.integers(0, 4 + j, n).astype(np.int32 if nm.startswith("n_") else np.int8)
            else:
                d = (np.sin(s / (1.0e3 * (j + 1)) + k) * (j + 1) + rng.normal(0, 0.01, n)).astype(np.float32)
            var(gg, nm, d, "1", nm.replace("_", " "))
    # The residual histogram and segment quality groups: small per-beam arrays.
    rh = g.create_group("residual_histogram")
    m = max(n // 200, 1)
    for nm in ["bckgrd_per_m", "count", "ds_segment_id", "lat_mean", "lon_mean", "x_atc_mean"]:
        var(rh, nm, rng.random(m).astype(np.float32), "1", nm)
    sq = g.create_group("segment_quality")
    for nm in ["delta_time", "record_number", "reference_pt_lat", "reference_pt_lon", "segment_id", "signal_selection_source"]:
        var(sq, nm, rng.random(m), "1", nm)


def metadata(f, rng):
    anc = f.create_group("ancillary_data")
    attrs(anc, "1", "Ancillary Data")
    for nm in ["atlas_sdp_gps_epoch", "data_end_utc", "data_start_utc", "end_cycle", "end_delta_time", "end_geoseg",
               "end_gpssow", "end_gpsweek", "end_orbit", "end_region", "end_rgt", "granule_end_utc",
               "granule_start_utc", "qa_at_interval", "release", "start_cycle", "start_delta_time", "start_geoseg",
               "start_gpssow", "start_gpsweek", "start_orbit", "start_region", "start_rgt", "version"]:
        d = anc.create_dataset(nm, data=np.array([rng.random() * 1e6]))
        attrs(d, "1", nm.replace("_", " "))
    for sub, names in {"land_ice": ["dt_hist", "fit_maxiter", "fpb_maxiter", "max_res_ids", "min_dist", "min_gain_th",
                                    "min_n_pe", "min_n_sel", "min_signal_conf", "n_hist", "n_sigmas", "nhist_bins",
                                    "proc_interval", "qs_lim_bsc", "qs_lim_hrs", "qs_lim_hsigma", "qs_lim_msw",
                                    "qs_lim_snr", "qs_lim_sss", "rbin_width", "sigma_beam", "sigma_tx", "t_dead"],
                       "calibrations": ["dead_time", "first_photon_bias", "low_link_impulse_response"]}.items():
        g = anc.create_group(sub)
        for j, nm in enumerate(names):
            d = g.create_dataset(nm, data=rng.random(1 + (j % 5) * 8))
            attrs(d, "1", nm.replace("_", " "))
    oi = f.create_group("orbit_info")
    for nm in ["crossing_time", "cycle_number", "lan", "orbit_number", "rgt", "sc_orient", "sc_orient_time"]:
        d = oi.create_dataset(nm, data=np.array([rng.integers(0, 1000)], dtype=np.int16))
        attrs(d, "1", nm.replace("_", " "))
    q = f.create_group("quality_assessment")
    for b in BEAMS:
        qb = q.create_group(b)
        for nm in ["qa_granule_fail_reason", "qa_granule_pass_fail", "qa_percent_fail_h_li"]:
            qb.create_dataset(nm, data=np.array([rng.integers(0, 3)], dtype=np.int8))
    md = f.create_group("METADATA")
    for sec, subs in {"AcquisitionInformation": ["lidar", "lidarDocument", "platform", "platformDocument"],
                      "DataQuality": ["CompletenessOmission", "DomainConsistency"],
                      "DatasetIdentification": [], "Extent": [], "Lineage": [f"ANC{i:02d}" for i in range(1, 40)]
                      + ["ATL03", "ATL09", "Control"],
                      "ProcessStep": ["Browse", "Metadata", "PGE", "QA"], "ProductSpecificationDocument": [],
                      "SeriesIdentification": []}.items():
        g = md.create_group(sec)
        for i in range(12):
            g.attrs[f"{sec[:8].lower()}_{i:02d}"] = np.bytes_(f"{sec} value {i} " + "x" * (i * 7))
        for s in subs:
            gs = g.create_group(s)
            for i in range(8):
                gs.attrs[f"attr_{i}"] = np.bytes_(f"{s}/{i}: ATL06 lineage text {rng.integers(1e9)}")
            gs.attrs["version"] = np.bytes_("006")
    f.attrs["short_name"] = np.bytes_("ATL06")
    f.attrs["title"] = np.bytes_("ATLAS/ICESat-2 L3A Land Ice Height (synthetic)")
    for i in range(40):
        f.attrs[f"global_{i:02d}"] = np.bytes_(f"granule attribute {i}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--segments", type=int, default=150000, help="segments a beam (default 150000, about 75 MB)")
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    if a.segments < 1:
        sys.exit("atl06_like.py: --segments must be at least 1")
    rng = np.random.default_rng(a.seed)
    with h5py.File(a.out, "w", libver="earliest") as f:
        metadata(f, rng)
        for k, b in enumerate(BEAMS):
            # Beams differ in length, as real ones do.
            beam(f, b, k, a.segments - k * (a.segments // 50), rng)


if __name__ == "__main__":
    main()
