-- yimi's language server in Neovim (0.10 or later): put this file in your config's `plugin/`
-- directory, or paste it into init.lua. It checks rule packs (*.yimi) and project files (YAML
-- whose top level says `yimi: 1`; other YAML is left alone).
vim.filetype.add({ extension = { yimi = "yimi" } })

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "yimi", "yaml" },
  callback = function(args)
    vim.bo[args.buf].commentstring = "# %s"
    vim.lsp.start({
      name = "yimi",
      cmd = { "yimi", "lsp" },
      root_dir = vim.fs.root(args.buf, { "rules", ".git" }),
      -- The same choices as `yimi check`: --lang, --rules, --sources (relative to the root).
      init_options = { lang = "zh", rules = {}, sources = {} },
    })
  end,
})
