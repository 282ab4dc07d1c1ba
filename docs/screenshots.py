"""Screenshots of `baocao serve` for the README, taken with headless Chromium: `make screenshots`."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_web_browser import chromium_driver, retype, wait_text  # noqa: E402
from tests.web_support import SAMPLE, make_workspace, running  # noqa: E402

PAGES = [
    ("web-danh-sach.png", "/", None),
    ("web-bieu-mau.png", f"/van-ban/{SAMPLE}", ("f.nha_o.de_nghi_ho_tro[0].so_ho", "bốn")),
    ("web-yaml.png", "/yaml/hong.yaml", None),
    ("web-lich-su.png", f"/lich-su/{SAMPLE}", None),
]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="baocao-anh-"))
    folder = make_workspace(work / "ho-so")
    (folder / "hong.yaml").write_text(
        "loai: bao_cao_6_thang\nco_quan:\n  ten: [UBND xã\nnam: 2024\n", encoding="utf-8"
    )
    driver = chromium_driver(work / "tai-ve", work / "chromium")
    try:
        with running(folder) as url:
            driver.get(f"{url}/van-ban/{SAMPLE}")  # one save, so the history has something to show
            retype(driver, "f.nha_o.de_nghi_ho_tro[0].so_ho", "9")
            time.sleep(1.5)
            driver.find_element(By.ID, "nut-luu").click()
            time.sleep(1)
            for name, path, edit in PAGES:
                driver.get(url + path)
                time.sleep(1)
                if edit is not None:
                    driver.execute_script(
                        "var form = document.getElementById('bieu-mau');"
                        "var group = document.getElementById('fld-nha_o');"
                        "form.scrollTop = group.offsetTop - form.offsetTop - 50;"
                    )
                    retype(driver, *edit)
                    wait_text(driver, "gc-fld-nha_o-de_nghi_ho_tro-0--so_ho", "lỗi")
                driver.save_screenshot(str(ROOT / "docs" / name))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
