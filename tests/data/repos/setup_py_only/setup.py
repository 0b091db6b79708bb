import os

from setuptools import find_packages, setup

HERE = os.path.dirname(__file__)
REQUIRES = ["six>=1.16"]
TEST_REQUIRES = ["pytest"]

with open(os.path.join(HERE, "README.md")) as readme:
    long_description = readme.read()

setup(
    name="calc",
    version="0.3.1",
    description="Small statistics helpers",
    long_description=long_description,
    packages=find_packages(exclude=["tests"]),
    install_requires=REQUIRES,
    extras_require={"test": TEST_REQUIRES, "docs": ["sphinx"]},
    python_requires=">=3.8",
    classifiers=[
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.11",
    ],
)
