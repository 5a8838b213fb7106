from .encode import Encoded, PhotoError, Recipe, encode_photo
from .markup import Picture, picture_html, picture_of, rewrite_images
from .photos import register

__all__ = [
    "Encoded",
    "PhotoError",
    "Picture",
    "Recipe",
    "encode_photo",
    "picture_html",
    "picture_of",
    "register",
    "rewrite_images",
]
