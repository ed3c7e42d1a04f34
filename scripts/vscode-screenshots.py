"""Drives the VS Code workbench that scripts/vscode-screenshots serves: opens a project file and
a rule pack, waits for yimi's diagnostics, shows a hover, and saves screenshots. Fails when the
extension's diagnostics or hover do not appear."""
import sys
import time

from playwright.sync_api import sync_playwright

workspace, out = sys.argv[1], sys.argv[2]


def open_file(page, name):
    page.keyboard.press("Control+P")
    page.wait_for_selector(".quick-input-widget input", timeout=30000)
    page.keyboard.type(name)
    time.sleep(1.5)
    page.keyboard.press("Enter")
    time.sleep(2)


def show_hover_at(page, line, column):
    page.locator(".monaco-editor .view-lines").first.click()
    page.keyboard.press("Control+G")
    time.sleep(0.5)
    page.keyboard.type(f"{line}:{column}")
    page.keyboard.press("Enter")
    time.sleep(0.5)
    page.keyboard.press("Control+K")
    page.keyboard.press("Control+I")
    page.wait_for_selector(".monaco-hover-content", timeout=30000)
    time.sleep(1.5)
    return page.locator(".monaco-hover-content").first.inner_text()


def squiggles(page):
    return page.locator(".squiggly-error, .squiggly-warning, .squiggly-info").count()


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"http://127.0.0.1:8765/?folder={workspace}")
    page.wait_for_selector(".monaco-workbench", timeout=120000)
    time.sleep(6)

    open_file(page, "jl-changchun-residential.yaml")
    for _ in range(90):
        if squiggles(page) > 0:
            break
        time.sleep(1)
    page.keyboard.press("Control+Shift+M")  # the Problems panel
    time.sleep(3)
    problems = page.locator(".markers-panel").inner_text()
    assert "JL-005a" in problems, problems
    # The local pack in the workspace (`yimi.rules`) raises Changchun's places per 1000 to 5.
    assert "60 places needed for 12000 persons at 5 places per 1000 people" in problems, problems
    page.screenshot(path=f"{out}/vscode-project-diagnostics.png")
    hover = show_hover_at(page, 8, 4)  # `kind: residential`
    assert "kind of project" in hover, hover
    page.screenshot(path=f"{out}/vscode-project-hover.png")
    page.keyboard.press("Escape")

    open_file(page, "changchun-refined.yimi")
    time.sleep(8)
    page.keyboard.press("Control+Shift+M")
    time.sleep(1)
    page.screenshot(path=f"{out}/vscode-pack.png")
    browser.close()
print("the extension's diagnostics and hover appeared in VS Code (code-server)")
