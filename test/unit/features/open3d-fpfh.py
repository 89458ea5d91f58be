# Test helper: Open3D's FPFH on given points/normals. argv: in.bin out.bin radius; in.bin = n×6 float64 (xyz, normal).
# Writes n×34 float64: 33 FPFH bins, then the radius-neighbour count (self excluded).
import sys
import numpy as np
import open3d as o3d

data = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, 6)
radius = float(sys.argv[3])
pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(data[:, :3]))
pcd.normals = o3d.utility.Vector3dVector(data[:, 3:])
fpfh = o3d.pipelines.registration.compute_fpfh_feature(pcd, o3d.geometry.KDTreeSearchParamRadius(radius))
tree = o3d.geometry.KDTreeFlann(pcd)
counts = np.array([tree.search_radius_vector_3d(p, radius)[0] - 1 for p in data[:, :3]], dtype=np.float64)
out = np.concatenate([np.asarray(fpfh.data).T, counts[:, None]], axis=1)
out.astype(np.float64).tofile(sys.argv[2])
