"""Static files storage for a server behind nginx (deploy/nginx/skm.conf)."""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names plus a .gz beside each file, for nginx's ``gzip_static``.

    Debian's nginx serves no Brotli, so the .br files WhiteNoise would also
    write (the slow part of collectstatic) are skipped, and so are source maps,
    which browsers fetch only with the developer tools open.
    """

    def create_compressor(self, **kwargs):
        if kwargs.get("extensions") is None:
            kwargs["extensions"] = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
        return Compressor(**{**kwargs, "use_brotli": False})
