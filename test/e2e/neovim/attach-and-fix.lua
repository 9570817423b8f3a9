-- Headless Neovim (0.7+) attaches API Warden over stdio, waits for a JWT diagnostic, asks for code actions,
-- applies the one whose title matches WARDEN_ACTION, and waits for the diagnostic to clear.
-- Env: WARDEN_SERVER (dist/server.js), WARDEN_FILE (a .ts file), WARDEN_RULE (rule id), WARDEN_ACTION (Lua pattern)
local server = os.getenv('WARDEN_SERVER')
local file = os.getenv('WARDEN_FILE')
local rule = os.getenv('WARDEN_RULE')
local action_pattern = os.getenv('WARDEN_ACTION')
local out = function(s) io.stdout:write(s .. '\n') end
local exit_code = 1

local function ours(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == rule then table.insert(list, d) end
  end
  return list
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  local client_id = vim.lsp.start_client({
    name = 'api-warden',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h:h'),
  })
  assert(client_id, 'start_client failed')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'attach failed')

  assert(vim.wait(20000, function() return #ours(bufnr) > 0 end, 20), 'no ' .. rule .. ' diagnostic within 20 s')
  local d = ours(bufnr)[1]
  out(string.format('DIAG %d:%d %s %s', d.lnum, d.col, tostring(d.code), d.message))

  local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum, {}, client_id)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    context = { diagnostics = lsp_diags },
  }
  local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  assert(results, 'codeAction request timed out')
  local chosen
  for _, res in pairs(results) do
    for _, a in ipairs(res.result or {}) do
      out(string.format('ACTION preferred=%s title=%s', tostring(a.isPreferred), a.title))
      if not chosen and a.edit and string.find(a.title, action_pattern) then chosen = a end
    end
  end
  assert(chosen, 'no code action matching ' .. action_pattern)
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  out('LINE ' .. vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1])
  assert(vim.wait(10000, function() return #ours(bufnr) == 0 end, 20), 'diagnostic did not clear after the quick fix')
  vim.cmd('set nomodified')
  exit_code = 0
end)
if not ok then out('E2E FAILED: ' .. tostring(err)) end
out('RESULT ' .. ((exit_code == 0) and 'PASS' or 'FAIL'))
vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
vim.cmd((exit_code == 0) and 'qa!' or ('cquit! ' .. exit_code))
