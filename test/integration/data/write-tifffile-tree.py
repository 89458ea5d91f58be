# Test helper: writes MVTec-shaped xyz TIFFs with tifffile in every layout the data layer must read.
# argv: ROOT WIDTH HEIGHT. For each case writes ROOT/<case>.tiff and ROOT/<case>.bin (the raw float32 H×W×3 array).
# tifffile cannot write LZW without imagecodecs (not packaged in Debian), so the LZW case is written by a minimal
# baseline TIFF writer below with its own LZW encoder (TIFF 6.0 §13, MSB-first codes, early change).
import struct
import sys
import numpy as np
import tifffile

root, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(5)
v, u = np.mgrid[0:height, 0:width].astype(np.float32)
xyz = np.stack([(u - width / 2) * 0.001, (v - height / 2) * 0.001, 0.5 + 0.01 * np.sin(u / 5) * np.cos(v / 7)], axis=-1).astype(np.float32)
xyz[0, 0] = np.nan
xyz[1, 2] = [np.inf, 0, 0]
xyz[3, 3] = 0


def lzw_encode(data: bytes) -> bytes:
    table = {bytes([i]): i for i in range(256)}
    next_code, width_bits = 258, 9
    out, acc, nbits = bytearray(), 0, 0

    def emit(code):
        nonlocal acc, nbits
        acc = (acc << width_bits) | code
        nbits += width_bits
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)

    emit(256)
    w = b''
    for byte in data:
        wc = w + bytes([byte])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = next_code
        next_code += 1
        if next_code + 1 > (1 << width_bits) and width_bits < 12:
            width_bits += 1
        if next_code >= 4094:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
            next_code, width_bits = 258, 9
        w = bytes([byte])
    if w:
        emit(table[w])
        next_code += 1
        if next_code + 1 > (1 << width_bits) and width_bits < 12:
            width_bits += 1
    emit(257)
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def write_lzw_tiff(path, array):
    h, w, c = array.shape
    strip = lzw_encode(array.astype('<f4').tobytes())
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, c, None), (259, 3, 1, 5), (262, 3, 1, 2), (273, 4, 1, None),
               (277, 3, 1, c), (278, 4, 1, h), (279, 4, 1, len(strip)), (284, 3, 1, 1), (339, 3, c, None)]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    extra = ifd_offset + ifd_size
    bits_off, fmt_off = extra, extra + 2 * c
    data_off = fmt_off + 2 * c
    body = bytearray(b'II*\0' + struct.pack('<I', ifd_offset))
    body += struct.pack('<H', len(entries))
    for tag, typ, count, value in entries:
        if tag == 258:
            value = bits_off
        elif tag == 339:
            value = fmt_off
        elif tag == 273:
            value = data_off
        if typ == 3 and count == 1:
            body += struct.pack('<HHIHH', tag, typ, count, value, 0)
        else:
            body += struct.pack('<HHII', tag, typ, count, value)
    body += struct.pack('<I', 0)
    body += struct.pack('<' + 'H' * c, *([32] * c)) + struct.pack('<' + 'H' * c, *([3] * c))
    body += strip
    with open(path, 'wb') as f:
        f.write(body)


cases = {
    'contig-none': dict(planarconfig='contig'),
    'contig-deflate': dict(planarconfig='contig', compression='zlib'),
    'planar-none': dict(planarconfig='separate'),
    'planar-deflate': dict(planarconfig='separate', compression='zlib'),
    'contig-tiles': dict(planarconfig='contig', tile=(16, 16)),
    'contig-strips': dict(planarconfig='contig', rowsperstrip=3),
    'planar-strips-deflate': dict(planarconfig='separate', rowsperstrip=4, compression='zlib'),
    'contig-bigendian': dict(planarconfig='contig', byteorder='>'),
}
for name, kwargs in cases.items():
    data = xyz if kwargs.get('planarconfig') == 'contig' else np.ascontiguousarray(np.moveaxis(xyz, -1, 0))
    tifffile.imwrite(f'{root}/{name}.tiff', data, photometric='rgb' if kwargs['planarconfig'] == 'contig' else 'minisblack', **kwargs)
    assert np.array_equal(np.asarray(tifffile.imread(f'{root}/{name}.tiff')).reshape(data.shape), data, equal_nan=True)
    xyz.astype('<f4').tofile(f'{root}/{name}.bin')
write_lzw_tiff(f'{root}/contig-lzw.tiff', xyz)
xyz.astype('<f4').tofile(f'{root}/contig-lzw.bin')
# Wrong dtypes: float64 and uint16 xyz.
tifffile.imwrite(f'{root}/float64.tiff', xyz.astype(np.float64), photometric='rgb')
tifffile.imwrite(f'{root}/uint16.tiff', np.clip(np.nan_to_num(xyz, posinf=0, neginf=0) * 1000, 0, 65535).astype(np.uint16), photometric='rgb')
print('ok')
