"""NumPy/SciPy twin of `geoad eval` (benchmark and test reference only, never used at run time).

A straightforward implementation of the same definitions (DESIGN.md section 5): I-AUROC and P-AUROC as
Mann-Whitney statistics with average ranks (ties count half), the exact PRO curve (every distinct score a
threshold, score >= threshold is anomalous), the papers' sampled PRO curve (N thresholds at evenly spaced ranks of
the sorted anomaly-free scores, strict >), trapezoid integration up to the FPR limit with linear interpolation at
the limit, and MVTec threshold calibration on validation maps (binary search with scipy.ndimage.label).

Image labels come from the gt mask (any pixel > 0), as in the official MVTec 3D-AD evaluate_experiment.py, not from
the folder name. The default minimum defect area is 0.1 % of a validation map's pixels (their mean), rounded up.

The sampled PRO curve and the limited trapezoid were written from the definitions and then compared, by reading,
with the MVTec 3D-AD evaluation code as CFM ships it (CVLAB-Unibo/crossmodal-feature-mapping utils/metrics_utils.py:
compute_pro, GroundTruthComponent.compute_overlap, trapezoid, num_thresholds=99) and with pro_curve_util.py /
generic_util.py of the official code as vendored in IHPCMember/IGAF: same ranks (linspace, dtype=int), FPR
1 - (pos+1)/n, region scores <= threshold counted as missed, (1, 1) as the last point, the bisect correction at
the limit, np.sum of the trapezoids with x <= limit.

Usage: python3 bench/eval_numpy.py --maps MAPS --data ROOT --category C [--pro-thresholds exact|N] [--min-defect-area A]
Prints one JSON object with the metrics and the seconds spent.
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.ndimage as ndi
import scipy.stats as st
import tifffile
from PIL import Image

LIMITS = [0.3, 0.1, 0.05, 0.01]
EIGHT = np.ones((3, 3), dtype=int)


def auroc(scores, labels):
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=bool)
    ranks = st.rankdata(scores)  # average ranks: ties count half
    n_pos = labels.sum()
    n_neg = labels.size - n_pos
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def area_to(x, y, limit):
    """Trapezoid area of the curve (x ascending) from x[0] to limit, y interpolated at the limit."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    correction = 0.0
    if limit not in x:
        ins = int(np.searchsorted(x, limit, side='right'))
        y_at = y[ins - 1] + (y[ins] - y[ins - 1]) * (limit - x[ins - 1]) / (x[ins] - x[ins - 1])
        correction = 0.5 * (y_at + y[ins - 1]) * (limit - x[ins - 1])
    keep = x <= limit
    x, y = x[keep], y[keep]
    return np.sum(0.5 * (y[1:] + y[:-1]) * (x[1:] - x[:-1])) + correction


def exact_pro(scores, region, sizes):
    """Exact PRO curve: region = -1 for anomaly-free pixels, else the region index."""
    order = np.argsort(-scores, kind='stable')
    s = scores[order]
    r = region[order]
    ok = r < 0
    w = np.where(ok, 0.0, 1.0 / sizes[np.maximum(r, 0)]) / len(sizes)
    last = np.r_[s[1:] != s[:-1], True]  # last index of each group of equal scores
    fpr = np.cumsum(ok)[last] / ok.sum()
    pro = np.cumsum(w)[last]
    return np.r_[0.0, fpr], np.r_[0.0, pro]


def sampled_pro(scores, region, sizes, n):
    ok_sorted = np.sort(scores[region < 0].astype(np.float64))
    comps = [np.sort(scores[region == k].astype(np.float64)) for k in range(len(sizes))]
    fprs, pros = [1.0], [1.0]
    for pos in np.linspace(0, len(ok_sorted) - 1, num=n, dtype=int):
        t = ok_sorted[pos]
        pro = 0.0
        for c in comps:
            pro += 1.0 - np.searchsorted(c, t, side='right') / len(c)
        fprs.append(1.0 - (pos + 1) / len(ok_sorted))
        pros.append(pro / len(comps))
    return np.array(fprs[::-1]), np.array(pros[::-1])


def largest_region(maps, t):
    best = 0
    for m in maps:
        lab, n = ndi.label(m > t, EIGHT)
        if n:
            best = max(best, int(np.bincount(lab.ravel())[1:].max()))
    return best


def calibrate(maps, area):
    candidates = np.unique(np.concatenate([m.ravel() for m in maps]))
    lo, hi = 0, len(candidates) - 1  # find the smallest index whose threshold leaves every region < area
    if largest_region(maps, candidates[0]) < area:
        return float(candidates[0])
    while lo < hi:
        mid = (lo + hi) // 2
        if largest_region(maps, candidates[mid]) < area:
            hi = mid
        else:
            lo = mid + 1
    return float(candidates[lo])


def prf(tp, fp, fn, tn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {'precision': p, 'recall': r, 'f1': f1, 'fpr': fp / (fp + tn) if fp + tn else 0.0}


def evaluate(maps_dir, data_root, category, pro_thresholds, min_area):
    test_dir = os.path.join(data_root, category, 'test')
    scores, region, sizes, img_scores, img_labels = [], [], [], [], []
    for defect in sorted(os.listdir(test_dir), key=lambda d: (d != 'good', d)):
        for name in sorted(os.listdir(os.path.join(test_dir, defect, 'rgb'))):
            sid = name.split('.')[0]
            m = tifffile.imread(os.path.join(maps_dir, category, 'test', defect, sid + '.tiff')).astype(np.float32)
            gt_path = os.path.join(test_dir, defect, 'gt', sid + '.png')
            gt = np.asarray(Image.open(gt_path)) > 0 if os.path.exists(gt_path) else np.zeros(m.shape, bool)
            if m.shape != gt.shape:  # the twin scores maps at the gt's size only (geoad eval resizes same-aspect maps)
                raise SystemExit(f'{defect}/{sid}: map {m.shape[1]}x{m.shape[0]} differs from its gt {gt.shape[1]}x{gt.shape[0]}')
            lab, n = ndi.label(gt, EIGHT)
            reg = lab.ravel().astype(np.int64) - 1
            reg[reg >= 0] += len(sizes)
            sizes.extend(np.bincount(lab.ravel(), minlength=n + 1)[1:].tolist())
            scores.append(m.ravel())
            region.append(reg)
            img_scores.append(float(m.max()))
            img_labels.append(bool(gt.any()))  # the mask decides, whatever the folder says
    scores = np.concatenate(scores)
    region = np.concatenate(region)
    sizes = np.asarray(sizes, dtype=np.float64)
    out = {'iAuroc': auroc(img_scores, img_labels), 'pAuroc': auroc(scores, region >= 0)}
    if pro_thresholds == 'exact':
        fpr, pro = exact_pro(scores, region, sizes)
    else:
        fpr, pro = sampled_pro(scores, region, sizes, int(pro_thresholds))
    out['aupro'] = {str(l): float(area_to(fpr, pro, l) / l) for l in LIMITS}
    val_dir = os.path.join(maps_dir, category, 'validation', 'good')
    if os.path.isdir(val_dir):
        vmaps = [tifffile.imread(os.path.join(val_dir, f)) for f in sorted(os.listdir(val_dir)) if f.endswith('.tiff')]
        area = min_area if min_area else max(1, int(np.ceil(np.mean([v.size for v in vmaps]) / 1000)))
        if area > max(v.size for v in vmaps):  # as geoad eval: an area no region can reach is a usage error
            raise SystemExit(f'--min-defect-area {area} exceeds the validation map area {max(v.size for v in vmaps)}')
        t = calibrate(vmaps, area)
        pos = region >= 0
        above = scores > t
        pix = prf(int((above & pos).sum()), int((above & ~pos).sum()), int((~above & pos).sum()), int((~above & ~pos).sum()))
        flagged = np.array(img_scores) > t
        lab = np.array(img_labels)
        img = prf(int((flagged & lab).sum()), int((flagged & ~lab).sum()), int((~flagged & lab).sum()), int((~flagged & ~lab).sum()))
        out['threshold'] = {'threshold': t, 'minDefectArea': area, 'image': img, 'pixel': pix}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--maps', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--category', required=True)
    ap.add_argument('--pro-thresholds', default='exact')
    ap.add_argument('--min-defect-area', type=int, default=0)
    a = ap.parse_args()
    started = time.perf_counter()
    out = evaluate(a.maps, a.data, a.category, a.pro_thresholds, a.min_defect_area)
    out['seconds'] = time.perf_counter() - started
    print(json.dumps(out))


if __name__ == '__main__':
    main()
